package dev.userfabric.application.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userfabric.adapter.oauth.testing.TestIdentityProvider;
import dev.userfabric.application.PackagedService;
import dev.userfabric.proto.v1.CreateUserRequest;
import dev.userfabric.proto.v1.UserServiceGrpc;
import dev.userfabric.testing.faults.FreePorts;
import dev.userfabric.testing.faults.RedisClusterNodes;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
      Map<String, String> properties = PackagedService.with(
          servers.serviceProperties(port, idp.issuer(), TestIdentityProvider.AUDIENCE),
          Map.of("micronaut.server.port", "-1", "userfabric.redis.uri", nodes.uri()));
      Process service = PackagedService.start("cluster-service", properties, List.of());
      ManagedChannel channel = null;
      try {
        FreePorts.awaitListening(port, WITHIN, "the service");
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        Set<String> answered = ConcurrentHashMap.newKeySet();
        AtomicInteger refused = new AtomicInteger();
        Set<String> unexpected = ConcurrentHashMap.newKeySet();
        AtomicLong lastRefusedAt = new AtomicLong();
        AtomicBoolean calling = new AtomicBoolean(true);
        ManagedChannel calls = channel;
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
          for (int c = 0; c < 8; c++) {
            callers.execute(() -> {
              while (calling.get()) {
                String token = idp.tokenFor("cluster-" + UUID.randomUUID());
                try {
                  answered.add(createUser(calls, token));
                } catch (StatusRuntimeException e) {
                  if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
                    unexpected.add(e.toString()); // asserted on the test's thread below
                  }
                  refused.incrementAndGet();
                  lastRefusedAt.set(System.nanoTime());
                }
              }
            });
          }
          awaitAtLeast(answered, 100);
          String someUser = answered.iterator().next();
          int master = nodes.masterOf(servers.keyPrefix + "{u" + someUser.substring(0, 2) + "}user:" + someUser);
          long killed = System.nanoTime();
          nodes.kill(master);
          nodes.awaitHealthy(WITHIN);
          int atRecovery = answered.size();
          awaitAtLeast(answered, atRecovery + 200);
          calling.set(false);
          System.out.printf("redis cluster failover through the service: last refusal %d ms after the kill,"
              + " %d calls refused (UNAVAILABLE), %d users answered%n",
              lastRefusedAt.get() == 0 ? 0 : (lastRefusedAt.get() - killed) / 1_000_000, refused.get(), answered.size());
        }

        assertEquals(Set.of(), unexpected, "calls failed only as UNAVAILABLE (retryable)");
        assertTrue(refused.get() > 0, "calls on the dead master's slots were refused until the replica took over");
        Set<String> stored = awaitStored(nodes, servers.keyPrefix, answered);
        assertEquals(answered, stored, "every answered user is stored, once, and no other");
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

  private static String createUser(ManagedChannel channel, String token) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    return UserServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .createUser(CreateUserRequest.getDefaultInstance()).getUser().getId();
  }

  private static void awaitAtLeast(Set<String> answered, int count) throws InterruptedException {
    long deadline = System.nanoTime() + WITHIN.toNanos();
    while (answered.size() < count) {
      assertTrue(System.nanoTime() < deadline, "only " + answered.size() + " of " + count + " calls answered");
      Thread.sleep(20);
    }
  }

  /** Every id in the listing index of every shard, once the driver has stored all it was sent. */
  private static Set<String> awaitStored(RedisClusterNodes nodes, String prefix, Set<String> answered)
      throws InterruptedException {
    // Every node as a seed: the one killed may be among them.
    List<RedisURI> seeds = java.util.Arrays.stream(nodes.uri().substring("redis-cluster://".length()).split(","))
        .map(node -> RedisURI.create("redis://" + node)).toList();
    RedisClusterClient client = RedisClusterClient.create(seeds);
    try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
      long deadline = System.nanoTime() + WITHIN.toNanos();
      while (true) {
        Set<String> stored = new HashSet<>();
        for (int shard = 0; shard < 256; shard++) {
          stored.addAll(connection.sync().zrange(prefix + String.format("{u%02x}users", shard), 0, -1));
        }
        if (stored.containsAll(answered) || System.nanoTime() > deadline) {
          return stored;
        }
        Thread.sleep(100);
      }
    } finally {
      client.shutdown();
    }
  }
}
