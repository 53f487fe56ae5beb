package dev.userfabric.testing.faults;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A RabbitMQ cluster of the test's own: {@code size} nodes with their own names, ports, data
 * directories and a shared Erlang cookie, joined by classic-config peer discovery as they start
 * (the first alone, then the others into it). Nodes are stopped by their processes, never by name.
 */
public final class RabbitClusterNodes implements AutoCloseable {

  private final List<RabbitBroker> nodes = new ArrayList<>();

  private RabbitClusterNodes() {}

  public static RabbitClusterNodes start(int size) throws IOException, InterruptedException {
    RabbitClusterNodes cluster = new RabbitClusterNodes();
    try {
      String cookie = UUID.randomUUID().toString().replace("-", "").toUpperCase();
      List<String> names = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        names.add(RabbitBroker.newNodeName());
      }
      for (String name : names) {
        cluster.nodes.add(RabbitBroker.clusterNode(name, cookie, names));
      }
      for (RabbitBroker node : cluster.nodes) {
        node.start(); // in order: the first forms the cluster, the others join it
        cluster.awaitRunning(node, Duration.ofSeconds(60));
      }
      cluster.awaitMembers(size, Duration.ofSeconds(60));
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  public List<RabbitBroker> nodes() {
    return List.copyOf(nodes);
  }

  /** Every node, as {@code userfabric.rabbitmq.uri} takes a cluster. */
  public String uri() {
    return "amqp://guest:guest@" + nodes.stream().map(node -> "127.0.0.1:" + node.port()).collect(Collectors.joining(","))
        + "/%2F";
  }

  /** The node that leads a quorum queue now, asked of a node still running. */
  public RabbitBroker leaderOf(String queue, RabbitBroker askedOf) throws IOException, InterruptedException {
    String listing = askedOf.ctl("list_queues", "name", "leader");
    for (String line : listing.split("\n")) {
      String[] fields = line.strip().split("\\s+");
      if (fields.length == 2 && fields[0].equals(queue)) {
        return nodes.stream().filter(node -> node.node().equals(fields[1])).findFirst()
            .orElseThrow(() -> new IllegalStateException("leader " + fields[1] + " is not one of ours"));
      }
    }
    throw new IllegalStateException("no queue " + queue + " in " + listing);
  }

  private void awaitRunning(RabbitBroker node, Duration within) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      try {
        node.ctl("await_startup");
        return;
      } catch (IllegalStateException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }

  private void awaitMembers(int size, Duration within) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      String status = nodes.getFirst().ctl("cluster_status", "--formatter", "json");
      long running = nodes.stream().filter(node -> status.contains("\"running_nodes\"")
          && status.substring(status.indexOf("\"running_nodes\"")).split("]", 2)[0].contains(node.node())).count();
      if (running == size) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the cluster did not form: " + status);
      }
      Thread.sleep(200);
    }
  }

  @Override
  public void close() throws InterruptedException, IOException {
    for (RabbitBroker node : nodes) {
      node.close();
    }
  }
}
