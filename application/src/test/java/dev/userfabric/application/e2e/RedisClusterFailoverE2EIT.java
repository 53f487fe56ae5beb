package dev.userfabric.application.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userfabric.adapter.oauth.testing.TestIdentityProvider;
import dev.userfabric.application.PackagedService;
import dev.userfabric.testing.faults.FreePorts;
import dev.userfabric.testing.faults.RedisClusterNodes;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged service on a Redis Cluster of the test's own (3 masters, 3 replicas) and the
 * shared RabbitMQ, under a stream of first logins, while a master is killed: calls fail only as
 * UNAVAILABLE (retryable) and only until the replica takes over, and every user answered is
 * stored exactly once. Prints the gap and the books.
 */
class RedisClusterFailoverE2EIT {

  private static final Duration WITHIN = Duration.ofSeconds(60);

  @Test
  void aMasterKilledUnderLoadLosesNoAnsweredUser() throws Exception {
    try (RedisClusterNodes nodes = RedisClusterNodes.start(3);
         TestServers servers = new TestServers();
         TestIdentityProvider idp = new TestIdentityProvider()) {
      int port = FreePorts.next();
      Process service = PackagedService.start("cluster-service", PackagedService.with(
          servers.serviceProperties(port, idp.issuer(), TestIdentityProvider.AUDIENCE),
          Map.of("micronaut.server.port", "-1", "userfabric.redis.uri", nodes.uri())), List.of());
      ManagedChannel channel = null;
      try {
        FreePorts.awaitListening(port, WITHIN, "the service");
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        FirstLogins logins = new FirstLogins(channel, idp, 8);
        long killed;
        try (logins) {
          logins.awaitAnswered(100, WITHIN);
          String someUser = logins.answered.iterator().next();
          int master = nodes.masterOf(servers.keyPrefix + "{u" + someUser.substring(0, 2) + "}user:" + someUser);
          killed = System.nanoTime();
          nodes.kill(master);
          nodes.awaitHealthy(WITHIN);
          logins.awaitAnswered(logins.answered.size() + 200, WITHIN);
        }
        System.out.printf("redis cluster failover through the service: last refusal %d ms after the kill,"
            + " %d calls refused (UNAVAILABLE), %d users answered%n",
            logins.lastRefusalMillisAfter(killed), logins.refused.get(), logins.answered.size());

        assertEquals(Set.of(), logins.unexpected, "calls failed only as UNAVAILABLE (retryable)");
        assertTrue(logins.refused.get() > 0, "calls on the dead master's slots were refused until the replica took over");
        // A call fails here at its Redis lookup, before anything is published: no user but the answered.
        assertEquals(logins.answered, storedIn(nodes, servers.keyPrefix, logins),
            "every answered user is stored, once, and no other");
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

  private static Set<String> storedIn(RedisClusterNodes nodes, String prefix, FirstLogins logins)
      throws InterruptedException {
    // Every node as a seed: the one killed may be among them.
    List<RedisURI> seeds = Arrays.stream(nodes.uri().substring("redis-cluster://".length()).split(","))
        .map(node -> RedisURI.create("redis://" + node)).toList();
    RedisClusterClient client = RedisClusterClient.create(seeds);
    try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
      return logins.awaitStored(key -> connection.sync().zrange(key, 0, -1), prefix, WITHIN);
    } finally {
      client.shutdown();
    }
  }
}
