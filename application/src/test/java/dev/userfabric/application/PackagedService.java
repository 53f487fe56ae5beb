package dev.userfabric.application;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The packaged service as {@code ./userfabric start} runs it: the jar by its absolute path with
 * the build's AOT cache, and the JVM options in {@code application/jvm.options}. For the soak, the
 * benchmark and the start-up measurement, which must see what an operator runs.
 */
public final class PackagedService {

  private PackagedService() {}

  /** Starts it with these properties, its output in a temporary log file named after the role. */
  public static Process start(String role, Map<String, String> properties, List<String> moreJvmOptions)
      throws IOException {
    Path log = Files.createTempFile("userfabric-" + role + "-", ".log");
    System.out.println("[" + role + "] log: " + log);
    return start(log, properties, moreJvmOptions);
  }

  /** Starts it with these properties, its output in the given file. */
  public static Process start(Path log, Map<String, String> properties, List<String> moreJvmOptions)
      throws IOException {
    return run(log, properties, moreJvmOptions, List.of("start"));
  }

  /** Runs the packaged jar's command ({@code start}, {@code rebuild --idle=2s}...) with these properties. */
  public static Process run(Path log, Map<String, String> properties, List<String> moreJvmOptions,
      List<String> commandLine) throws IOException {
    File jar = new File("target/userfabric.jar").getAbsoluteFile();
    if (!jar.isFile()) {
      throw new IllegalStateException("package the service first: " + jar);
    }
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmOptions());
    File aot = aotCache();
    if (aot.isFile()) {
      command.add("-XX:AOTCache=" + aot);
    }
    command.addAll(moreJvmOptions);
    properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.addAll(List.of("-jar", jar.getPath()));
    command.addAll(commandLine);
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /**
   * The production settings for one issuer, one Redis and one broker, every key and queue name
   * under {@code prefix}, and gRPC on {@code grpcPort}.
   */
  public static Map<String, String> wiredTo(int grpcPort, String issuer, String audience, String redisUri,
      String rabbitUri, String prefix) {
    return Map.of(
        "grpc.server.port", Integer.toString(grpcPort),
        "micronaut.server.port", "-1", // the management port: any free one
        "userfabric.oauth.issuer", issuer,
        "userfabric.oauth.audience", audience,
        "userfabric.redis.uri", redisUri,
        "userfabric.redis.key-prefix", prefix,
        "userfabric.rabbitmq.uri", rabbitUri,
        "userfabric.rabbitmq.name-prefix", prefix);
  }

  /** The same with more (or other) settings. */
  public static Map<String, String> with(Map<String, String> base, Map<String, String> more) {
    Map<String, String> all = new java.util.HashMap<>(base);
    all.putAll(more);
    return Map.copyOf(all);
  }

  public static File aotCache() {
    return new File("target/userfabric.aot").getAbsoluteFile();
  }

  static List<String> jvmOptions() throws IOException {
    return Files.readAllLines(Path.of("jvm.options")).stream().map(String::strip)
        .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
  }
}
