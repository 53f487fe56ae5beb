package dev.userfabric.application.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userfabric.adapter.oauth.testing.TestIdentityProvider;
import dev.userfabric.application.PackagedService;
import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.proto.v1.CreateUserRequest;
import dev.userfabric.proto.v1.UserServiceGrpc;
import dev.userfabric.testing.faults.FreePorts;
import dev.userfabric.testing.faults.RabbitBroker;
import dev.userfabric.testing.faults.RabbitClusterNodes;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
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
 * The packaged service on a three-node RabbitMQ cluster of the test's own (listed in its URI) and
 * the shared Redis, under a stream of first logins, while the node leading the driver queue is
 * killed: calls fail only as UNAVAILABLE (retryable), the in-process driver resumes on the new
 * leader, and every user answered is stored exactly once. Prints the gap and the books.
 */
class RabbitClusterFailoverE2EIT {

  private static final Duration WITHIN = Duration.ofSeconds(60);

  @Test
  void theQueuesLeaderKilledUnderLoadLosesNoAnsweredUser() throws Exception {
    try (RabbitClusterNodes nodes = RabbitClusterNodes.start(3);
         TestServers servers = new TestServers();
         TestIdentityProvider idp = new TestIdentityProvider()) {
      int port = FreePorts.next();
      Map<String, String> properties = PackagedService.with(
          servers.serviceProperties(port, idp.issuer(), TestIdentityProvider.AUDIENCE),
          Map.of("micronaut.server.port", "-1", "userfabric.rabbitmq.uri", nodes.uri()));
      Process service = PackagedService.start("cluster-service", properties, List.of());
      ManagedChannel channel = null;
      try {
        FreePorts.awaitListening(port, WITHIN, "the service");
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        Set<String> answered = ConcurrentHashMap.newKeySet();
        AtomicInteger refused = new AtomicInteger();
        Set<String> unexpected = ConcurrentHashMap.newKeySet();
        Set<String> refusedUsers = ConcurrentHashMap.newKeySet();
        AtomicLong lastRefusedAt = new AtomicLong();
        AtomicBoolean calling = new AtomicBoolean(true);
        ManagedChannel calls = channel;
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
          for (int c = 0; c < 8; c++) {
            callers.execute(() -> {
              while (calling.get()) {
                String subject = "cluster-" + UUID.randomUUID();
                String token = idp.tokenFor(subject);
                try {
                  answered.add(createUser(calls, token));
                } catch (StatusRuntimeException e) {
                  if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
                    unexpected.add(e.toString()); // asserted on the test's thread below
                  }
                  refused.incrementAndGet();
                  refusedUsers.add(UserId.of(new Identity(idp.issuer(), subject)).toString());
                  lastRefusedAt.set(System.nanoTime());
                  pause(); // as a client retrying with backoff would
                }
              }
            });
          }
          long killed;
          try {
            awaitAtLeast(answered, 100);
            RabbitBroker leader = nodes.leaderOf(servers.namePrefix + "userfabric.user-created", nodes.nodes().getFirst());
            killed = System.nanoTime();
            leader.kill();
            int atRecovery = answered.size();
            try {
              awaitAtLeast(answered, atRecovery + 200);
            } catch (AssertionError e) {
              RabbitBroker survivor = nodes.nodes().stream().filter(node -> node != leader).findFirst().orElseThrow();
              throw new AssertionError(e.getMessage() + "; queues now: "
                  + survivor.ctl("list_queues", "name", "type", "leader", "members", "online"), e);
            }
          } finally {
            calling.set(false); // the callers stop however this ends
          }
          System.out.printf("rabbitmq cluster failover through the service: last refusal %d ms after the kill,"
              + " %d calls refused (UNAVAILABLE), %d users answered%n",
              lastRefusedAt.get() == 0 ? 0 : (lastRefusedAt.get() - killed) / 1_000_000, refused.get(), answered.size());
        }

        assertEquals(Set.of(), unexpected, "calls failed only as UNAVAILABLE (retryable)");
        Set<String> stored = awaitStored(servers, answered);
        Set<String> lost = new HashSet<>(answered);
        lost.removeAll(stored);
        assertEquals(Set.of(), lost, "every answered user is stored");
        // A call refused while its publish was in flight may have had its event kept by the broker:
        // that user is stored, and the caller's retry finds it. Nobody else is.
        Set<String> strays = new HashSet<>(stored);
        strays.removeAll(answered);
        strays.removeAll(refusedUsers);
        assertEquals(Set.of(), strays, "no user was stored that nobody asked for");
        System.out.printf("rabbitmq cluster failover books: %d answered, all stored; %d more stored from refused calls%n",
            answered.size(), stored.size() - answered.size());
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

  private static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
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
  private static Set<String> awaitStored(TestServers servers, Set<String> answered) throws InterruptedException {
    long deadline = System.nanoTime() + WITHIN.toNanos();
    while (true) {
      Set<String> stored = new HashSet<>();
      for (int shard = 0; shard < 256; shard++) {
        stored.addAll(servers.redis.sync().zrange(servers.keyPrefix + String.format("{u%02x}users", shard), 0, -1));
      }
      if (stored.containsAll(answered) || System.nanoTime() > deadline) {
        return stored;
      }
      Thread.sleep(100);
    }
  }
}
