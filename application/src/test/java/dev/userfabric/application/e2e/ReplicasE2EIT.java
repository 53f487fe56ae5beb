package dev.userfabric.application.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userfabric.adapter.oauth.testing.TestIdentityProvider;
import dev.userfabric.application.PackagedService;
import dev.userfabric.proto.v1.CreateUserRequest;
import dev.userfabric.proto.v1.CreateUserResponse;
import dev.userfabric.proto.v1.UserServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Three gRPC replicas (consuming nothing) and two event-driver processes of the packaged
 * service, sharing nothing but Redis and RabbitMQ; a client balancing calls round-robin over the
 * replicas, and moving on to the next when one fails. One replica is killed mid-run. The books:
 * every user a replica answered for is stored, once, and nothing else is.
 */
class ReplicasE2EIT {

  private static final int USERS = 300;
  private static final Duration WITHIN = Duration.ofSeconds(60);

  @Test
  void threeReplicasAndTwoDriversKeepTheBooksWhenAReplicaDies() throws Exception {
    try (TestServers servers = new TestServers(); TestIdentityProvider idp = new TestIdentityProvider()) {
      List<Process> processes = new ArrayList<>();
      List<Integer> replicaPorts = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          int port = TestServers.freePort();
          replicaPorts.add(port);
          processes.add(start("replica-" + i, servers, idp, port, "0"));
        }
        for (int i = 0; i < 2; i++) {
          processes.add(start("driver-" + i, servers, idp, TestServers.freePort(), "2"));
        }
        for (int port : replicaPorts) {
          dev.userfabric.testing.faults.FreePorts.awaitListening(port, WITHIN, "replica on " + port);
        }

        List<ManagedChannel> channels = replicaPorts.stream()
            .map(port -> NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build()).toList();
        Set<String> answered = ConcurrentHashMap.newKeySet();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger retried = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        List<String> work = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
          String token = idp.tokenFor("replicas-" + servers.run + "-" + u);
          work.add(token);
          if (u % 2 == 0) {
            work.add(token); // half the users call twice, on different replicas: one user either way
          }
        }
        AtomicInteger taken = new AtomicInteger();
        Set<String> failures = ConcurrentHashMap.newKeySet();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
          for (int c = 0; c < 16; c++) {
            callers.execute(() -> {
              try {
                for (int n = taken.getAndIncrement(); n < work.size(); n = taken.getAndIncrement()) {
                  answered.add(createUser(channels, next, retried, work.get(n)).getUser().getId());
                  if (calls.incrementAndGet() == work.size() / 3) {
                    processes.get(1).destroyForcibly(); // replica 1 dies mid-run, calls in flight on it
                  }
                }
              } catch (RuntimeException | AssertionError e) {
                failures.add(e.toString()); // asserted on the test's thread below
              }
            });
          }
        }
        channels.forEach(ManagedChannel::shutdownNow);
        System.out.printf("replicas: %d calls answered for %d users, %d retried on another replica%n",
            calls.get(), answered.size(), retried.get());

        assertEquals(Set.of(), failures, "calls failed only as UNAVAILABLE, and another replica answered");
        assertEquals(USERS, answered.size(), "every user was answered");
        assertTrue(retried.get() > 0, "calls to the killed replica moved on to the others");
        Set<String> stored = awaitStored(servers, USERS);
        assertEquals(answered, stored, "every answered user is stored, and no other");
      } finally {
        for (Process process : processes) {
          process.destroy();
        }
        for (Process process : processes) {
          if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
          }
        }
      }
    }
  }

  private static Process start(String role, TestServers servers, TestIdentityProvider idp, int port,
      String consumers) throws Exception {
    Map<String, String> properties = PackagedService.with(
        servers.serviceProperties(port, idp.issuer(), TestIdentityProvider.AUDIENCE),
        Map.of("micronaut.server.port", "-1", "userfabric.rabbitmq.consumers", consumers));
    return PackagedService.start(role, properties, List.of());
  }

  /** Round-robin over the replicas; a replica that is gone is skipped for the next one. */
  private static CreateUserResponse createUser(List<ManagedChannel> channels, AtomicInteger next,
      AtomicInteger retried, String token) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    long deadline = System.nanoTime() + WITHIN.toNanos();
    while (true) {
      ManagedChannel channel = channels.get(Math.floorMod(next.getAndIncrement(), channels.size()));
      try {
        return UserServiceGrpc.newBlockingStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .createUser(CreateUserRequest.getDefaultInstance());
      } catch (StatusRuntimeException e) {
        // UNAVAILABLE is what a client retries; anything else is a real failure of the test.
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());
        assertTrue(System.nanoTime() < deadline, "no replica answered: " + e);
        retried.incrementAndGet();
      }
    }
  }

  /** The ids in the listing index of every shard under this run's prefix, once it holds them all. */
  private static Set<String> awaitStored(TestServers servers, int expected) throws InterruptedException {
    long deadline = System.nanoTime() + WITHIN.toNanos();
    while (true) {
      Set<String> stored = new HashSet<>();
      for (int shard = 0; shard < 256; shard++) {
        stored.addAll(servers.redis.sync().zrange(servers.keyPrefix + String.format("{u%02x}users", shard), 0, -1));
      }
      if (stored.size() >= expected) {
        return stored;
      }
      assertTrue(System.nanoTime() < deadline, "only " + stored.size() + " of " + expected + " users were stored");
      Thread.sleep(100);
    }
  }
}
