package dev.userfabric.adapter.event;

import static dev.userfabric.adapter.event.RabbitTesting.eventFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userfabric.domain.model.UserFabricFailure;
import dev.userfabric.domain.model.UserCreated;
import dev.userfabric.domain.port.in.ApplyUserEventResult;
import dev.userfabric.domain.testing.Users;
import dev.userfabric.testing.faults.RabbitBroker;
import dev.userfabric.testing.faults.RabbitClusterNodes;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The publisher and the event driver on a real three-node RabbitMQ cluster of the test's own,
 * connected through the list of its nodes: the driver queue (quorum) replicates over the three,
 * and when the node leading it is killed under load, a new leader takes over, publishing and
 * consuming resume, and no event the broker confirmed is lost, from the queue or from the event
 * log (a stream), which a replay reads from its first offset afterwards. Prints the gap.
 */
class RabbitClusterIT {

  private static RabbitClusterNodes cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = RabbitClusterNodes.start(3);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  public void killingTheQueuesLeaderLosesNoConfirmedEvent() throws Exception {
    EventTopology topology = EventTopology.withPrefix("cluster-" + UUID.randomUUID() + ".");
    Set<UUID> applied = ConcurrentHashMap.newKeySet();
    try (RabbitConnection connection = new RabbitConnection(RabbitSettings.of(cluster.uri(), topology))) {
      RabbitTesting.awaitReady(connection);
      UserEventConsumer consumer = new UserEventConsumer(connection, command -> {
        applied.add(command.event().eventId());
        return ApplyUserEventResult.APPLIED;
      });
      consumer.start();
      RabbitUserEventPublisher publisher = new RabbitUserEventPublisher(connection);
      String members = cluster.nodes().getFirst().ctl("list_queues", "name", "members");
      assertEquals(3, members.lines().filter(line -> line.startsWith(topology.queue() + "\t")).findFirst()
          .orElseThrow(() -> new AssertionError("no driver queue: " + members)).split("userfabric-test-").length - 1,
          "the driver queue has a member on every node: " + members);

      Set<UUID> confirmed = new HashSet<>();
      for (int i = 0; i < 200; i++) {
        confirmed.add(publishOne(publisher, "before-" + i));
      }
      RabbitBroker leader = cluster.leaderOf(topology.queue(), cluster.nodes().getFirst());
      long killed = System.nanoTime();
      leader.kill();

      int refused = 0;
      long firstConfirmedAfter = -1;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      for (int i = 0; i < 200; ) {
        try {
          confirmed.add(publishOne(publisher, "after-" + i));
          if (firstConfirmedAfter < 0) {
            firstConfirmedAfter = System.nanoTime();
          }
          i++;
        } catch (UserFabricFailure e) {
          refused++; // unconfirmed: the caller would hear UNAVAILABLE and retry
          assertTrue(System.nanoTime() < deadline, "publishing never resumed: " + e);
          Thread.sleep(20);
        }
      }
      System.out.printf("rabbitmq cluster failover: publishes confirmed again %d ms after the leader was killed"
          + " (%d refused meanwhile)%n", (firstConfirmedAfter - killed) / 1_000_000, refused);

      RabbitTesting.eventually(Duration.ofSeconds(60), () -> applied.containsAll(confirmed));
      Set<UUID> lost = new HashSet<>(confirmed);
      lost.removeAll(applied);
      assertEquals(Set.of(), lost, "every confirmed event reached the driver");
      assertTrue(cluster.leaderOf(topology.queue(), anyOtherThan(leader)) != leader, "a new leader took over");
      consumer.close();

      // The event log (a stream) kept every confirmed event, read from its first offset.
      Set<UUID> logged = ConcurrentHashMap.newKeySet();
      new EventLogReplay(connection, command -> {
        logged.add(command.event().eventId());
        return ApplyUserEventResult.APPLIED;
      }).replay(java.util.Optional.empty(), Duration.ofSeconds(2));
      Set<UUID> missingFromLog = new HashSet<>(confirmed);
      missingFromLog.removeAll(logged);
      assertEquals(Set.of(), missingFromLog, "the stream kept every confirmed event across the kill");
    }
  }

  private static UUID publishOne(RabbitUserEventPublisher publisher, String subject) {
    UserCreated event = eventFor(Users.bareUser(subject + "-" + UUID.randomUUID()));
    publisher.publish(event);
    return event.eventId();
  }

  private static RabbitBroker anyOtherThan(RabbitBroker gone) {
    return cluster.nodes().stream().filter(node -> node != gone).findFirst().orElseThrow();
  }
}
