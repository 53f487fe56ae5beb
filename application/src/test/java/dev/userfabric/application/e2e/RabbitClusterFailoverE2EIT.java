package dev.userfabric.application.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.userfabric.adapter.oauth.testing.TestIdentityProvider;
import dev.userfabric.application.PackagedService;
import dev.userfabric.testing.faults.FreePorts;
import dev.userfabric.testing.faults.RabbitBroker;
import dev.userfabric.testing.faults.RabbitClusterNodes;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged service on a three-node RabbitMQ cluster of the test's own (listed in its URI) and
 * the shared Redis, under a stream of first logins, while the node leading the driver queue is
 * killed: calls fail only as UNAVAILABLE (retryable), publishing and the in-process driver resume
 * on the new leaders, and every user answered is stored. Prints the gap and the books.
 */
class RabbitClusterFailoverE2EIT {

  private static final Duration WITHIN = Duration.ofSeconds(60);

  @Test
  void theQueuesLeaderKilledUnderLoadLosesNoAnsweredUser() throws Exception {
    try (RabbitClusterNodes nodes = RabbitClusterNodes.start(3);
         TestServers servers = new TestServers();
         TestIdentityProvider idp = new TestIdentityProvider()) {
      int port = FreePorts.next();
      Process service = PackagedService.start("cluster-service", PackagedService.with(
          servers.serviceProperties(port, idp.issuer(), TestIdentityProvider.AUDIENCE),
          Map.of("micronaut.server.port", "-1", "userfabric.rabbitmq.uri", nodes.uri())), List.of());
      ManagedChannel channel = null;
      try {
        FreePorts.awaitListening(port, WITHIN, "the service");
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        FirstLogins logins = new FirstLogins(channel, idp, 8);
        long killed;
        try (logins) {
          logins.awaitAnswered(100, WITHIN);
          RabbitBroker leader = nodes.leaderOf(servers.namePrefix + "userfabric.user-created", nodes.nodes().getFirst());
          killed = System.nanoTime();
          leader.kill();
          try {
            logins.awaitAnswered(logins.answered.size() + 200, WITHIN);
          } catch (AssertionError e) {
            RabbitBroker survivor = nodes.nodes().stream().filter(node -> node != leader).findFirst().orElseThrow();
            throw new AssertionError(e.getMessage() + "; queues now: "
                + survivor.ctl("list_queues", "name", "type", "leader", "members", "online"), e);
          }
        }
        System.out.printf("rabbitmq cluster failover through the service: last refusal %d ms after the kill,"
            + " %d calls refused (UNAVAILABLE), %d users answered%n",
            logins.lastRefusalMillisAfter(killed), logins.refused.get(), logins.answered.size());

        assertEquals(Set.of(), logins.unexpected, "calls failed only as UNAVAILABLE (retryable)");
        Set<String> stored = logins.awaitStored(key -> servers.redis.sync().zrange(key, 0, -1), servers.keyPrefix, WITHIN);
        Set<String> lost = new HashSet<>(logins.answered);
        lost.removeAll(stored);
        assertEquals(Set.of(), lost, "every answered user is stored");
        // A call refused while its publish was in flight may have had its event kept by the broker:
        // that user is stored, and the caller's retry finds it. Nobody else is.
        Set<String> strays = new HashSet<>(stored);
        strays.removeAll(logins.answered);
        strays.removeAll(logins.refusedUsers);
        assertEquals(Set.of(), strays, "no user was stored that nobody asked for");
        System.out.printf("rabbitmq cluster failover books: %d answered, all stored; %d more stored from refused calls%n",
            logins.answered.size(), stored.size() - logins.answered.size());
      } finally {
        if (channel != null) {
          channel.shutdownNow();
        }
        service.destroy();
        if (!service.waitFor(30, TimeUnit.SECONDS)) {
          service.destroyForcibly();
        }
      }
    }
  }
}
