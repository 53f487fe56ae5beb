package dev.userfabric.testing.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A RabbitMQ node of the test's own (its own name, ports and data directory), so a test can stop
 * and restart a broker, with or without its data, and never touch the shared one. Starting takes
 * a few seconds. Fails loudly when rabbitmq-server is not installed.
 */
public final class RabbitBroker implements AutoCloseable {

  private static final AtomicInteger NODES = new AtomicInteger();

  private final String node;
  private final int port;
  private final int distributionPort;
  private final Path home;
  private Process process;

  public RabbitBroker() throws IOException {
    this(newNodeName());
  }

  private RabbitBroker(String node) throws IOException {
    this.node = node;
    this.port = FreePorts.next();
    this.distributionPort = FreePorts.next();
    this.home = Files.createTempDirectory("userfabric-rabbitmq-");
    Files.writeString(home.resolve("enabled_plugins"), "[].");
  }

  /** A name for a node of this test run, unique on the machine. */
  public static String newNodeName() {
    return "userfabric-test-" + ProcessHandle.current().pid() + "-" + NODES.incrementAndGet() + "@localhost";
  }

  /**
   * A node that forms a cluster with {@code peers} (node names, its own included) when it starts:
   * they share an Erlang cookie, and the peer list is the classic-config discovery of rabbitmq.conf.
   */
  public static RabbitBroker clusterNode(String node, String cookie, java.util.List<String> peers) throws IOException {
    RabbitBroker broker = new RabbitBroker(node);
    Path cookieFile = broker.home.resolve(".erlang.cookie");
    Files.writeString(cookieFile, cookie);
    Files.setPosixFilePermissions(cookieFile, java.nio.file.attribute.PosixFilePermissions.fromString("r--------"));
    StringBuilder config = new StringBuilder("cluster_formation.peer_discovery_backend = classic_config\n");
    for (int i = 0; i < peers.size(); i++) {
      config.append("cluster_formation.classic_config.nodes.").append(i + 1).append(" = ").append(peers.get(i)).append('\n');
    }
    Files.writeString(broker.home.resolve("rabbitmq.conf"), config.toString());
    return broker;
  }

  public String node() {
    return node;
  }

  /** Runs rabbitmqctl against this node (with its cookie) and returns what it printed. */
  public String ctl(String... arguments) throws IOException, InterruptedException {
    java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(ctlExecutable(), "-n", node, "-q"));
    command.addAll(java.util.List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("HOME", home.toString());
    Process ctl = builder.start();
    String output = new String(ctl.getInputStream().readAllBytes());
    if (!ctl.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || ctl.exitValue() != 0) {
      ctl.destroyForcibly();
      throw new IllegalStateException("rabbitmqctl " + String.join(" ", arguments) + " failed: " + output);
    }
    return output;
  }

  public int port() {
    return port;
  }

  /** The Erlang VM's process id (the start script's descendant), for CPU accounting. */
  public synchronized long pid() {
    return process.descendants()
        .filter(child -> child.info().command().map(command -> command.contains("beam")).orElse(false))
        .findFirst().map(ProcessHandle::pid).orElse(process.pid());
  }

  public String uri() {
    return "amqp://guest:guest@127.0.0.1:" + port + "/%2F";
  }

  public synchronized RabbitBroker start() throws IOException {
    if (process != null && process.isAlive()) {
      return this;
    }
    ProcessBuilder builder = new ProcessBuilder(executable())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("server.log").toFile()));
    Map<String, String> env = builder.environment();
    env.put("HOME", home.toString()); // its own Erlang cookie
    env.put("RABBITMQ_NODENAME", node);
    env.put("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1");
    env.put("RABBITMQ_NODE_PORT", Integer.toString(port));
    env.put("RABBITMQ_DIST_PORT", Integer.toString(distributionPort));
    env.put("RABBITMQ_MNESIA_BASE", home.resolve("mnesia").toString());
    env.put("RABBITMQ_LOG_BASE", home.resolve("log").toString());
    env.put("RABBITMQ_ENABLED_PLUGINS_FILE", home.resolve("enabled_plugins").toString());
    env.put("RABBITMQ_CONFIG_FILE", home.resolve("rabbitmq").toString());
    env.put("RABBITMQ_PID_FILE", home.resolve("pid").toString());
    process = builder.start();
    FreePorts.awaitListening(port, Duration.ofSeconds(60), "rabbitmq-server (log " + home + "/server.log)");
    return this;
  }

  /** Kills the node at once; durable queues and persistent messages survive a {@link #start()}. */
  public synchronized void kill() throws InterruptedException {
    if (process == null) {
      return;
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly().waitFor();
    process = null;
    FreePorts.sleep(500); // let epmd forget the node name
  }

  /**
   * Stops the node as an operator's restart would (SIGTERM: the node shuts down in order). Unlike
   * {@link #kill()}, nothing the broker has accepted can be lost, not even a queue declared a
   * moment ago: a quorum queue declared moments before a kill can come back without a leader.
   */
  public synchronized void stop() throws InterruptedException {
    if (process == null) {
      return;
    }
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor();
    }
    process.descendants().forEach(child -> child.onExit().join());
    process = null;
    FreePorts.sleep(500); // let epmd forget the node name
  }

  /** Kills the node and forgets its data: it comes back without exchanges, queues or messages. */
  public synchronized void killAndWipe() throws InterruptedException, IOException {
    kill();
    deleteTree(home.resolve("mnesia"));
  }

  @Override
  public void close() throws InterruptedException, IOException {
    kill();
    deleteTree(home);
  }

  // The Debian wrapper in /usr/sbin switches to the rabbitmq user when run as root, and that user
  // may not write to our temporary directory: run the server script itself.
  private static String ctlExecutable() {
    java.io.File direct = new java.io.File("/usr/lib/rabbitmq/bin/rabbitmqctl");
    return direct.canExecute() ? direct.getPath() : RedisServer.find("rabbitmqctl");
  }

  private static String executable() {
    java.io.File direct = new java.io.File("/usr/lib/rabbitmq/bin/rabbitmq-server");
    return direct.canExecute() ? direct.getPath() : RedisServer.find("rabbitmq-server");
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }
}
