package dev.userfabric.testing.faults;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A redis-server process of the test's own, on a free loopback port, without persistence: it can
 * be stopped, restarted and slowed down without touching the shared Redis. Fails loudly when
 * redis-server is not installed.
 */
public final class RedisServer implements AutoCloseable {

  private final int port;
  private final Path log;
  private final Path dataDir;
  private Process process;

  /** A server that forgets everything when it stops. */
  public RedisServer() throws IOException {
    this(false);
  }

  /**
   * @param durable keep an append-only file synced on every write, so that even a killed server
   *     comes back with every write it acknowledged
   */
  public RedisServer(boolean durable) throws IOException {
    this.port = FreePorts.next();
    this.log = Files.createTempFile("userfabric-redis-" + port, ".log");
    this.dataDir = durable ? Files.createTempDirectory("userfabric-redis-data-") : null;
  }

  public int port() {
    return port;
  }

  /** The server's process id, for CPU accounting. */
  public synchronized long pid() {
    return process.pid();
  }

  public String uri() {
    return "redis://127.0.0.1:" + port + "/0";
  }

  public synchronized RedisServer start() throws IOException {
    if (process != null && process.isAlive()) {
      return this;
    }
    List<String> command = new java.util.ArrayList<>(List.of(executable(), "--port", Integer.toString(port),
        "--bind", "127.0.0.1", "--save", "", "--protected-mode", "no", "--enable-debug-command", "yes"));
    command.addAll(dataDir == null
        ? List.of("--appendonly", "no")
        : List.of("--appendonly", "yes", "--appendfsync", "always", "--dir", dataDir.toString()));
    process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    FreePorts.awaitListening(port, Duration.ofSeconds(10), "redis-server (log " + log + ")");
    return this;
  }

  /** Kills the server at once, as a crash would. */
  public synchronized void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly().waitFor();
      process = null;
    }
  }

  /**
   * Makes the server unresponsive for a while, as a slow command or a stalled host would: every
   * client's commands are held until the time is up. In effect when this returns.
   */
  public void freezeFor(Duration duration) throws IOException, InterruptedException {
    cliCommand("OK", "CLIENT", "PAUSE", Long.toString(duration.toMillis()), "ALL");
  }

  /** Returns once a {@link #freezeFor} is over: the server answers again. */
  public void awaitThaw() throws IOException, InterruptedException {
    cliCommand("PONG", "PING"); // held until the pause ends
  }

  private void cliCommand(String expected, String... command) throws IOException, InterruptedException {
    List<String> line = new java.util.ArrayList<>(List.of(cli(), "-p", Integer.toString(port)));
    line.addAll(List.of(command));
    Process cli = new ProcessBuilder(line).redirectErrorStream(true).start();
    String reply = new String(cli.getInputStream().readAllBytes()).trim();
    if (cli.waitFor() != 0 || !reply.equals(expected)) {
      throw new IllegalStateException(String.join(" ", command) + " answered: " + reply);
    }
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }

  private static String executable() {
    return find("redis-server");
  }

  private static String cli() {
    return find("redis-cli");
  }

  static String find(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/usr/sbin").split(File.pathSeparator)) {
      File candidate = new File(dir, name);
      if (candidate.canExecute()) {
        return candidate.getPath();
      }
    }
    for (String dir : List.of("/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/lib/rabbitmq/bin")) {
      File candidate = new File(dir, name);
      if (candidate.canExecute()) {
        return candidate.getPath();
      }
    }
    throw new IllegalStateException(name + " is not installed: apt-get install redis-server rabbitmq-server");
  }
}
