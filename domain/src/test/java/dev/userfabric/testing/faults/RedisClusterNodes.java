package dev.userfabric.testing.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A Redis Cluster of the test's own: {@code masters} masters with one replica each, every node a
 * redis-server process on a free loopback port with its own data directory, joined by
 * {@code redis-cli --cluster create}. Nodes are stopped by their process, never by name. Fails
 * loudly when redis-server or redis-cli is not installed.
 */
public final class RedisClusterNodes implements AutoCloseable {

  /** How long a master may be silent before its replica takes over. */
  public static final Duration NODE_TIMEOUT = Duration.ofMillis(1000);

  private final List<Integer> ports = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();
  private final Path dir;

  private RedisClusterNodes(Path dir) {
    this.dir = dir;
  }

  public static RedisClusterNodes start(int masters) throws IOException, InterruptedException {
    RedisClusterNodes cluster = new RedisClusterNodes(Files.createTempDirectory("userfabric-redis-cluster-"));
    try {
      for (int i = 0; i < masters * 2; i++) {
        cluster.startNode(FreePorts.next());
      }
      List<String> create = new ArrayList<>(List.of(RedisServer.find("redis-cli"), "--cluster", "create"));
      cluster.ports.forEach(port -> create.add("127.0.0.1:" + port));
      create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
      run(create, Duration.ofSeconds(60));
      cluster.awaitHealthy(Duration.ofSeconds(30));
      cluster.awaitReplicasInSync(Duration.ofSeconds(30));
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** Seed nodes for a client, in the form {@code userfabric.redis.uri} takes. */
  public String uri() {
    return "redis-cluster://" + ports.stream().limit(3).map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
  }

  /** The port of the master that serves {@code key}'s hash slot now. */
  public int masterOf(String key) throws IOException, InterruptedException {
    int alive = anyAlive();
    String slot = cli(alive, "CLUSTER", "KEYSLOT", key).strip();
    for (String line : cli(alive, "CLUSTER", "NODES").split("\n")) {
      String[] fields = line.strip().split(" ");
      if (fields.length > 8 && fields[2].contains("master") && !fields[2].contains("fail")) {
        for (int i = 8; i < fields.length; i++) {
          String[] range = fields[i].split("-");
          if (range[0].startsWith("[")) {
            continue; // a slot being migrated
          }
          int from = Integer.parseInt(range[0]);
          int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
          int wanted = Integer.parseInt(slot);
          if (wanted >= from && wanted <= to) {
            return Integer.parseInt(fields[1].split("[:@]")[1]);
          }
        }
      }
    }
    throw new IllegalStateException("no master serves slot " + slot);
  }

  /** Returns once the master's replicas have everything the master had written when called. */
  public void awaitReplicated(int master, Duration within) throws IOException, InterruptedException {
    long written = Long.parseLong(field(cli(master, "INFO", "replication"), "master_repl_offset"));
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      String info = cli(master, "INFO", "replication");
      java.util.regex.Matcher replica = java.util.regex.Pattern.compile("slave\\d+:.*offset=(\\d+)").matcher(info);
      if (replica.find() && Long.parseLong(replica.group(1)) >= written) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the replica of " + master + " did not catch up: " + info);
      }
      Thread.sleep(20);
    }
  }

  private static String field(String info, String name) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith(name + ":")) {
        return line.substring(name.length() + 1).strip();
      }
    }
    throw new IllegalStateException("no " + name + " in " + info);
  }

  private int anyAlive() {
    for (int i = 0; i < ports.size(); i++) {
      if (processes.get(i).isAlive()) {
        return ports.get(i);
      }
    }
    throw new IllegalStateException("every node is down");
  }

  /** The port of a replica of the master on {@code masterPort}. */
  public int replicaOf(int masterPort) throws IOException, InterruptedException {
    String nodes = cli(anyAlive(), "CLUSTER", "NODES");
    String masterId = null;
    for (String line : nodes.split("\n")) {
      String[] fields = line.strip().split(" ");
      if (fields.length > 2 && fields[1].split("[:@]")[1].equals(Integer.toString(masterPort))) {
        masterId = fields[0];
      }
    }
    for (String line : nodes.split("\n")) {
      String[] fields = line.strip().split(" ");
      if (fields.length > 3 && fields[3].equals(masterId)) {
        return Integer.parseInt(fields[1].split("[:@]")[1]);
      }
    }
    throw new IllegalStateException("no replica of " + masterPort + " in " + nodes);
  }

  /** Stops a node's process where it is (SIGSTOP), as a stalled host would; {@link #thaw} resumes it. */
  public void freeze(int port) throws IOException, InterruptedException {
    signal(port, "-STOP");
  }

  public void thaw(int port) throws IOException, InterruptedException {
    signal(port, "-CONT");
  }

  private void signal(int port, String signal) throws IOException, InterruptedException {
    long pid = processes.get(ports.indexOf(port)).pid();
    run(List.of("kill", signal, Long.toString(pid)), Duration.ofSeconds(5));
  }

  /** Kills one node at once, as a crash would. */
  public void kill(int port) throws InterruptedException {
    Process process = processes.get(ports.indexOf(port));
    process.destroyForcibly().waitFor();
  }

  /** Returns once every slot is served again (a replica was promoted), as the cluster sees it. */
  public void awaitHealthy(Duration within) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      boolean healthy = true;
      for (int i = 0; i < ports.size(); i++) {
        if (processes.get(i).isAlive() && !cli(ports.get(i), "CLUSTER", "INFO").contains("cluster_state:ok")) {
          healthy = false;
        }
      }
      if (healthy) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the cluster did not become healthy within " + within);
      }
      Thread.sleep(100);
    }
  }

  /** A replica that never synced with its master would not be promoted: wait for every link. */
  private void awaitReplicasInSync(Duration within) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    for (int port : ports) {
      while (true) {
        String replication = cli(port, "INFO", "replication");
        if (replication.contains("role:master") || replication.contains("master_link_status:up")) {
          break;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("replica " + port + " never synced: " + replication);
        }
        Thread.sleep(100);
      }
    }
  }

  private void startNode(int port) throws IOException {
    Path nodeDir = Files.createDirectories(dir.resolve(Integer.toString(port)));
    Process process = new ProcessBuilder(RedisServer.find("redis-server"), "--port", Integer.toString(port),
        "--bind", "127.0.0.1", "--protected-mode", "no", "--save", "", "--appendonly", "no",
        "--cluster-enabled", "yes", "--cluster-config-file", nodeDir.resolve("nodes.conf").toString(),
        "--cluster-node-timeout", Long.toString(NODE_TIMEOUT.toMillis()), "--dir", nodeDir.toString(),
        // a free port of its own for the cluster bus, not port + 10000, which may be taken
        "--cluster-port", Integer.toString(FreePorts.next()),
        // a replica takes over however long ago it last heard from its master
        "--cluster-replica-validity-factor", "0")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(nodeDir.resolve("redis.log").toFile()))
        .start();
    ports.add(port);
    processes.add(process);
    FreePorts.awaitListening(port, Duration.ofSeconds(10), "redis-server cluster node (log " + nodeDir + "/redis.log)");
  }

  private static String cli(int port, String... command) throws IOException, InterruptedException {
    List<String> line = new ArrayList<>(List.of(RedisServer.find("redis-cli"), "-p", Integer.toString(port)));
    line.addAll(List.of(command));
    return run(line, Duration.ofSeconds(10));
  }

  private static String run(List<String> command, Duration within) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(within.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
    }
    return output;
  }

  @Override
  public void close() throws InterruptedException {
    for (Process process : processes) {
      process.destroyForcibly().waitFor();
    }
  }
}
