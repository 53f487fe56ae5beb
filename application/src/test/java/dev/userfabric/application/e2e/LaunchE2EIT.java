package dev.userfabric.application.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userfabric.testing.faults.FreePorts;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The packaged service as an operator starts it: {@code java -jar userfabric.jar}, configured by
 * environment variables, with its output read back.
 */
class LaunchE2EIT {

  private static final File JAR = new File("target/userfabric.jar");
  private static final Duration START = Duration.ofSeconds(60);

  @Test
  void productionWithoutServersRefusesToStartNamingWhatIsMissing() throws Exception {
    Launched launched = launch(Map.of(), List.of());

    assertEquals(2, launched.exitCode(), launched.output());
    List<String> errorLines = launched.stderrLines();
    assertEquals(1, errorLines.size(), "one line: " + errorLines);
    String line = errorLines.getFirst();
    assertTrue(line.contains("userfabric.redis.uri (USERFABRIC_REDIS_URI)"), line);
    assertTrue(line.contains("userfabric.rabbitmq.uri (USERFABRIC_RABBITMQ_URI)"), line);
    assertTrue(line.contains("userfabric.oauth.issuer (USERFABRIC_OAUTH_ISSUER)"), line);
    assertTrue(line.contains("start-dev"), "says how to ask for the development mode: " + line);
    assertFalse(launched.stdout().contains("SERVING"), launched.stdout());
    assertFalse(launched.stdout().contains("listening"), launched.stdout());
  }

  @Test
  void aMalformedRedisUriIsOneLineNamingThePropertyAndTheValue() throws Exception {
    Launched launched = launch(Map.of(
        "USERFABRIC_REDIS_URI", "localhost:6379",
        "USERFABRIC_RABBITMQ_URI", TestServers.RABBIT_URI,
        "USERFABRIC_RABBITMQ_NAME_PREFIX", "launch-" + ProcessHandle.current().pid() + ".",
        "USERFABRIC_OAUTH_ISSUER", "http://127.0.0.1:" + FreePorts.next(),
        "USERFABRIC_OAUTH_AUDIENCE", "userfabric",
        "GRPC_SERVER_PORT", Integer.toString(FreePorts.next())), List.of());

    assertEquals(2, launched.exitCode(), launched.output());
    List<String> errorLines = launched.stderrLines();
    assertEquals(1, errorLines.size(), "one line: " + errorLines);
    assertTrue(errorLines.getFirst().contains("userfabric.redis.uri (USERFABRIC_REDIS_URI) is \"localhost:6379\": expected redis://"),
        errorLines.getFirst());
    assertFalse(launched.stdout().contains("SERVING"), launched.stdout());
  }

  @Test
  void aMalformedRabbitUriHidesItsPassword() throws Exception {
    Launched launched = launch(Map.of(
        "USERFABRIC_REDIS_URI", TestServers.REDIS_URI,
        "USERFABRIC_RABBITMQ_URI", "http://guest:secret@127.0.0.1:5672",
        "USERFABRIC_OAUTH_ISSUER", "http://127.0.0.1:" + FreePorts.next(),
        "USERFABRIC_OAUTH_AUDIENCE", "userfabric",
        "GRPC_SERVER_PORT", Integer.toString(FreePorts.next())), List.of());

    assertEquals(2, launched.exitCode(), launched.output());
    String line = launched.stderrLines().getFirst();
    assertTrue(line.contains("userfabric.rabbitmq.uri (USERFABRIC_RABBITMQ_URI) is \"http://***@127.0.0.1:5672\""), line);
    assertFalse(launched.output().contains("secret"), launched.output());
  }

  @Test
  void anUnknownCommandPrintsTheUsage() throws Exception {
    Launched launched = launch(Map.of(), List.of("serve"));

    assertEquals(2, launched.exitCode());
    assertTrue(launched.stderr().contains("unknown command serve"), launched.stderr());
    assertTrue(launched.stderr().contains("start-dev"), launched.stderr());
  }

  /** The development mode on ports of its own: the printed hint is run exactly as printed. */
  @Test
  void theDevelopmentModeBindsLoopbackAndItsTryItHintWorksAsWritten() throws Exception {
    int grpcPort = FreePorts.next();
    int issuerPort = FreePorts.next();
    Path log = Files.createTempFile("userfabric-launch-", ".log");
    Process service = new ProcessBuilder(command(List.of("start-dev",
        "--grpc.server.port=" + grpcPort, "--userfabric.oauth.dev-issuer-port=" + issuerPort)))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      String banner = awaitLine(service, log, "Try it:");
      assertTrue(banner.contains("listening for gRPC on 127.0.0.1:" + grpcPort + " (plaintext)"), banner);
      Matcher tryIt = Pattern.compile("Try it:\\s+(\\./userfabric-client[^(]*?)\\s+\\(").matcher(banner);
      assertTrue(tryIt.find(), banner);
      List<String> hint = Arrays.asList(tryIt.group(1).trim().split("\\s+"));
      assertTrue(hint.contains("--target") && hint.contains("127.0.0.1:" + grpcPort), "names the changed port: " + hint);
      assertTrue(hint.contains("--issuer") && hint.contains("http://127.0.0.1:" + issuerPort), "and issuer: " + hint);

      String first = runFromProjectRoot(hint);
      String second = runFromProjectRoot(hint);

      assertTrue(first.contains("created    : true"), first);
      assertTrue(second.contains("created    : false"), second);
      assertTrue(Pattern.compile("created at : \\d{4}-\\d{2}-\\d{2}T").matcher(first).find(), "a readable time: " + first);

      // The rest of the lifecycle works embedded too (in-memory store, in-process queue).
      String id = idOf(first);
      assertTrue(runFromProjectRoot(with(hint, "--call", "get")).contains("id         : " + id));
      assertTrue(runFromProjectRoot(with(hint, "--call", "refresh")).contains("changed    : nothing"));
      List<String> operator = new java.util.ArrayList<>(hint.subList(0, hint.size() - 1));
      operator.addAll(List.of("operator", "--scope", "openid userfabric:admin"));
      assertTrue(runFromProjectRoot(with(operator, "--call", "list")).contains(id));
      assertTrue(runFromProjectRoot(with(hint, "--call", "delete")).contains("deleted    : " + id));
      MockProviderServers.eventually(java.time.Duration.ofSeconds(30),
          () -> !runFromProjectRoot(with(operator, "--call", "list")).contains(id));
    } finally {
      service.destroy();
      assertTrue(service.waitFor(30, TimeUnit.SECONDS));
    }
  }

  private static List<String> with(List<String> command, String... more) {
    List<String> all = new java.util.ArrayList<>(command);
    all.addAll(List.of(more));
    return all;
  }

  private static String idOf(String output) {
    Matcher id = Pattern.compile("id         : (\\S+)").matcher(output);
    assertTrue(id.find(), output);
    return id.group(1);
  }

  private static String runFromProjectRoot(List<String> hint) throws Exception {
    File root = new File("..").getCanonicalFile();
    Process client = new ProcessBuilder(hint).directory(root).redirectErrorStream(true).start();
    String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(client.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, client.exitValue(), output);
    return output;
  }

  private static String awaitLine(Process service, Path log, String marker) throws Exception {
    long deadline = System.nanoTime() + START.toNanos();
    while (System.nanoTime() < deadline) {
      String output = Files.readString(log);
      if (output.contains(marker)) {
        return output;
      }
      assertTrue(service.isAlive(), "the service ended: " + output);
      Thread.sleep(50);
    }
    throw new AssertionError("no \"" + marker + "\" within " + START + ": " + Files.readString(log));
  }

  private record Launched(int exitCode, String stdout, String stderr) {
    List<String> stderrLines() {
      return stderr.lines().filter(line -> !line.isBlank() && !line.startsWith("WARNING:")).toList();
    }

    String output() {
      return "stdout:\n" + stdout + "\nstderr:\n" + stderr;
    }
  }

  private static Launched launch(Map<String, String> environment, List<String> args) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command(args));
    builder.environment().keySet().removeIf(name -> name.startsWith("USERFABRIC_") || name.startsWith("GRPC_"));
    builder.environment().putAll(environment);
    Path out = Files.createTempFile("userfabric-launch-", ".out");
    Path err = Files.createTempFile("userfabric-launch-", ".err");
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(START.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("still running after " + START + ":\n" + Files.readString(out) + Files.readString(err));
    }
    return new Launched(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static List<String> command(List<String> args) throws IOException {
    assertTrue(JAR.isFile(), "package the service first: " + JAR.getCanonicalPath());
    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "--sun-misc-unsafe-memory-access=allow", "-jar", JAR.getPath()));
    command.addAll(args);
    command.add("--micronaut.server.port=-1"); // the management port: any free one
    return command;
  }
}
