package dev.userfabric.application.soak;

import static dev.userfabric.application.PackagedService.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import dev.userfabric.adapter.oauth.testing.TestIdentityProvider;
import dev.userfabric.application.PackagedService;
import dev.userfabric.proto.v1.CreateUserRequest;
import dev.userfabric.proto.v1.CreateUserResponse;
import dev.userfabric.proto.v1.UserServiceGrpc;
import dev.userfabric.testing.faults.FreePorts;
import dev.userfabric.testing.faults.RabbitBroker;
import dev.userfabric.testing.faults.RedisServer;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The soak: a few thousand CreateUser calls for distinct users while RabbitMQ and Redis are
 * restarted and the consumer process is killed, then the books. Not part of the quick test run:
 * {@code ./soak.sh [calls]}. Everything runs on servers of its own (a RabbitMQ node, a Redis
 * with a synced append-only file), never the shared ones.
 *
 * <p>The gRPC replica (no consumer) and the event driver run as separate processes of the packaged
 * service, so that each can be killed with SIGKILL and started again; the report says, per fault,
 * how long the thing was down and how long calls failed.
 * The client behaves like a real one: it retries UNAVAILABLE, RESOURCE_EXHAUSTED and
 * DEADLINE_EXCEEDED. A durable probe queue bound to the exchange, like another service's,
 * receives every routed event, so the events can be counted too.
 */
class Soak {

  private static final int CALLS = Integer.getInteger("soak.calls", 6_000);
  private static final int CONCURRENCY = 32;
  private static final int CALLS_PER_SECOND = Integer.getInteger("soak.rate", 100);

  private final Map<String, String> answeredIds = new ConcurrentHashMap<>();
  private final Set<String> answeredCreated = ConcurrentHashMap.newKeySet();
  private final AtomicInteger retries = new AtomicInteger();
  private final AtomicInteger givenUp = new AtomicInteger();
  private final Map<Status.Code, AtomicInteger> failuresSeen = new ConcurrentHashMap<>();
  private final java.util.Queue<Attempt> attempts = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final java.util.Queue<Fault> faults = new java.util.concurrent.ConcurrentLinkedQueue<>();

  @Test
  public void everyCreatedUserIsStoredOnceWhateverFails() throws Exception {
    try (RabbitBroker broker = new RabbitBroker().start();
        RedisServer redis = new RedisServer(true).start();
        TestIdentityProvider idp = new TestIdentityProvider()) {
      String prefix = "soak-" + ProcessHandle.current().pid() + ".";
      Map<String, String> properties = PackagedService.wiredTo(
          0, idp.issuer(), TestIdentityProvider.AUDIENCE, redis.uri(), broker.uri(), prefix); // ports below

      int apiPort = FreePorts.next();
      Map<String, String> apiProperties = with(properties, Map.of("grpc.server.port", Integer.toString(apiPort),
          "userfabric.rabbitmq.consumers", "0"));
      Process[] apiNow = {startService("api", apiProperties)};
      Process[] consumerNow = {startService("consumer", with(properties, Map.of(
          "grpc.server.port", Integer.toString(FreePorts.next()), "userfabric.rabbitmq.consumers", "2")))};
      FreePorts.awaitListening(apiPort, Duration.ofSeconds(60), "the api process");
      String probe = declareProbe(broker, prefix);
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", apiPort).usePlaintext().build();

      String readiness = declareReadinessQueue(broker, prefix);
      ExecutorService chaos = Executors.newSingleThreadExecutor();
      long started = System.nanoTime();
      long planned = TimeUnit.SECONDS.toNanos(CALLS / CALLS_PER_SECOND);
      Future<?> faults = chaos.submit(() -> {
        awaitNanos(started + planned / 10);
        fault("RabbitMQ (SIGKILL, then start)", broker::kill, broker::start,
            () -> awaitConfirmedPublish(broker, readiness));
        awaitNanos(started + planned * 4 / 10);
        fault("Redis (SIGKILL, then start; append-only file synced on every write)", redis::kill, redis::start,
            () -> awaitPing(redis));
        awaitNanos(started + planned * 6 / 10);
        fault("consumer process (SIGKILL, then start)", () -> consumerNow[0].destroyForcibly().waitFor(),
            () -> consumerNow[0] = startService("consumer", with(properties, Map.of(
                "grpc.server.port", Integer.toString(FreePorts.next()), "userfabric.rabbitmq.consumers", "2"))),
            () -> { });
        awaitNanos(started + planned * 8 / 10);
        fault("api process (SIGKILL, then the packaged service started again)",
            () -> apiNow[0].destroyForcibly().waitFor(), () -> apiNow[0] = startService("api", apiProperties),
            () -> { });
        return null;
      });

      drive(channel, idp);
      faults.get(5, TimeUnit.MINUTES);
      log("calls done in " + (System.nanoTime() - started) / 1_000_000_000 + " s; waiting for the queue to drain");

      Books books = settle(broker, redis, prefix, probe);
      channel.shutdownNow();
      for (Process process : new Process[] {apiNow[0], consumerNow[0]}) {
        process.destroy();
        process.waitFor(30, TimeUnit.SECONDS);
      }
      chaos.shutdownNow();

      System.out.printf("""

          === soak: %d CreateUser calls for distinct users, %d in flight; RabbitMQ, Redis, the consumer and the api process killed and started again
            answered OK                : %d (created=true %d, created=false %d), gave up %d
            client retries             : %d %s
            users stored in Redis      : %d (each under one key; %d stored with no OK answer, %d answered but missing)
            events routed (probe queue): %d for %d distinct users (%d duplicates from retries whose confirm was lost)
            driver queue left          : %d ready, dead-letter queue: %d
          """, CALLS, CONCURRENCY, answeredIds.size(), answeredCreated.size(), answeredIds.size() - answeredCreated.size(),
          givenUp.get(), retries.get(), failuresSeen, books.stored.size(), books.storedUnanswered, books.answeredMissing,
          books.probeEvents, books.probeUsers.size(), books.probeEvents - books.probeUsers.size(),
          books.queueLeft, books.deadLettered);
      System.out.println(recovery());

      assertEquals(0, givenUp.get(), "every call eventually answered OK");
      assertEquals(CALLS, answeredIds.size());
      assertEquals(0, books.answeredMissing, "every user answered OK is stored");
      assertEquals(0, books.storedUnanswered, "nothing stored that no call created");
      assertEquals(books.stored, new HashSet<>(answeredIds.values()));
      assertEquals(books.stored, books.probeUsers, "every stored user has an event and every event's user is stored");
      assertEquals(0, books.queueLeft);
      assertEquals(0, books.deadLettered);
    }
  }

  private void drive(ManagedChannel channel, TestIdentityProvider idp) throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(CONCURRENCY);
    Semaphore pace = new Semaphore(0);
    AtomicLong released = new AtomicLong();
    ExecutorService pacer = Executors.newSingleThreadExecutor();
    pacer.submit(() -> {
      while (released.get() < CALLS) {
        pace.release(CALLS_PER_SECOND / 10);
        released.addAndGet(CALLS_PER_SECOND / 10);
        pause(100);
      }
      return null;
    });
    List<Future<?>> calls = new ArrayList<>();
    for (int i = 0; i < CALLS; i++) {
      String subject = "soak-user-" + i;
      calls.add(callers.submit(() -> {
        pace.acquireUninterruptibly();
        call(channel, idp, subject);
      }));
    }
    for (Future<?> call : calls) {
      call.get(10, TimeUnit.MINUTES);
    }
    callers.shutdown();
    pacer.shutdownNow();
  }

  private void call(ManagedChannel channel, TestIdentityProvider idp, String subject) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + idp.tokenFor(subject));
    for (int attempt = 1; attempt <= 600; attempt++) {
      long attemptStarted = System.nanoTime();
      try {
        CreateUserResponse response = UserServiceGrpc.newBlockingStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
            .withDeadlineAfter(3, TimeUnit.SECONDS)
            .createUser(CreateUserRequest.getDefaultInstance());
        answeredIds.put(subject, response.getUser().getId());
        if (response.getCreated()) {
          answeredCreated.add(subject);
        }
        attempts.add(new Attempt(attemptStarted, System.nanoTime(), true));
        return;
      } catch (StatusRuntimeException e) {
        attempts.add(new Attempt(attemptStarted, System.nanoTime(), false));
        Status.Code code = e.getStatus().getCode();
        failuresSeen.computeIfAbsent(code, c -> new AtomicInteger()).incrementAndGet();
        if (code != Status.Code.UNAVAILABLE && code != Status.Code.RESOURCE_EXHAUSTED
            && code != Status.Code.DEADLINE_EXCEEDED) {
          throw new AssertionError(subject + " failed with " + e.getStatus(), e);
        }
        retries.incrementAndGet();
        channel.resetConnectBackoff(); // retry the connection now, not after gRPC's 1 s+ backoff
        pause(50);
      }
    }
    givenUp.incrementAndGet();
  }

  /** One attempt at a call: when it was sent, when it ended, whether it was answered OK. */
  private record Attempt(long startedNanos, long endedNanos, boolean ok) {}

  /**
   * One fault: when the thing went down, when its start command had returned (the port listens,
   * or the process was launched), and when a fresh client of its own could use it again.
   */
  private record Fault(String what, long downNanos, long backNanos, long readyNanos) {}

  private interface Step {
    void run() throws Exception;
  }

  private void fault(String what, Step kill, Step start, Step ready) throws Exception {
    log(what);
    long down = System.nanoTime();
    kill.run();
    start.run();
    long back = System.nanoTime();
    ready.run();
    faults.add(new Fault(what, down, back, System.nanoTime()));
  }

  /** RabbitMQ is ready when a new connection gets a publish to a quorum queue confirmed. */
  private static void awaitConfirmedPublish(RabbitBroker broker, String queue) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(broker.uri());
    factory.setAutomaticRecoveryEnabled(false);
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (true) {
      try (Connection connection = factory.newConnection("soak-readiness"); Channel channel = connection.createChannel()) {
        channel.confirmSelect();
        channel.basicPublish("", queue, null, new byte[0]);
        channel.waitForConfirmsOrDie(1_000);
        return;
      } catch (Exception notYet) {
        assertTrue(System.nanoTime() < deadline, "RabbitMQ never became ready: " + notYet);
        pause(20);
      }
    }
  }

  private static void awaitPing(RedisServer redis) {
    RedisClient client = RedisClient.create(redis.uri());
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    try {
      while (true) {
        try (var connection = client.connect()) {
          connection.sync().ping();
          return;
        } catch (RuntimeException notYet) {
          assertTrue(System.nanoTime() < deadline, "Redis never became ready: " + notYet);
          pause(20);
        }
      }
    } finally {
      client.shutdown();
    }
  }

  /** A quorum queue nothing consumes, for the readiness probe's publishes. */
  private static String declareReadinessQueue(RabbitBroker broker, String prefix) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(broker.uri());
    String queue = prefix + "soak-readiness";
    try (Connection connection = factory.newConnection("soak-readiness"); Channel channel = connection.createChannel()) {
      channel.queueDeclare(queue, true, false, false, Map.of("x-queue-type", "quorum"));
    }
    return queue;
  }

  private static void awaitNanos(long when) {
    long left = when - System.nanoTime();
    if (left > 0) {
      pause(TimeUnit.NANOSECONDS.toMillis(left));
    }
  }

  /**
   * Per fault: how long the thing was down (kill to started again), how long calls failed (kill
   * to the end of the last failed attempt before the next fault), and how long after the thing was
   * back they still failed. For the api process, "back" is its launch, so the last is the start-up
   * time to the first OK CreateUser for a new user.
   */
  private String recovery() {
    StringBuilder report = new StringBuilder(
        "  recovery (ms)             down  ready again  calls failed  failing after ready  failed attempts\n");
    List<Fault> timeline = List.copyOf(faults);
    for (int i = 0; i < timeline.size(); i++) {
      Fault fault = timeline.get(i);
      long until = i + 1 < timeline.size() ? timeline.get(i + 1).downNanos() : Long.MAX_VALUE;
      long lastFailure = fault.downNanos();
      int failed = 0;
      for (Attempt attempt : attempts) {
        // A failure belongs to the fault before its end: one in flight when the next fault
        // struck is that fault's.
        if (!attempt.ok() && attempt.endedNanos() >= fault.downNanos() && attempt.endedNanos() < until) {
          failed++;
          lastFailure = Math.max(lastFailure, attempt.endedNanos());
        }
      }
      long firstOkAfterBack = attempts.stream()
          .filter(attempt -> attempt.ok() && attempt.endedNanos() >= fault.backNanos() && attempt.endedNanos() < until)
          .mapToLong(Attempt::endedNanos).min().orElse(-1);
      report.append(String.format("  %-22s %7d %12d %13d %20d %16d%n", fault.what().replaceAll(" \\(.*", ""),
          millis(fault.backNanos() - fault.downNanos()), millis(fault.readyNanos() - fault.downNanos()),
          millis(lastFailure - fault.downNanos()), Math.max(0, millis(lastFailure - fault.readyNanos())), failed));
      if (fault.what().startsWith("api process") && firstOkAfterBack > 0) {
        report.append(String.format("  api process start-up: launch to first OK CreateUser (new user): %d ms%n",
            millis(firstOkAfterBack - fault.backNanos())));
      }
    }
    return report.toString();
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  private record Books(Set<String> stored, long storedUnanswered, long answeredMissing, long probeEvents,
      Set<String> probeUsers, long queueLeft, long deadLettered) {}

  private Books settle(RabbitBroker broker, RedisServer redis, String prefix, String probe) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(broker.uri());
    RedisClient client = RedisClient.create(redis.uri());
    try (Connection connection = factory.newConnection("soak-books"); Channel inspect = connection.createChannel()) {
      String queue = prefix + "userfabric.user-created";
      long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      while (inspect.queueDeclarePassive(queue).getMessageCount() > 0 && System.nanoTime() < deadline) {
        pause(200);
      }
      pause(2_000); // deliveries in hand get acked
      RedisCommands<String, String> commands = client.connect().sync();
      Set<String> stored = new HashSet<>();
      ScanIterator.scan(commands, ScanArgs.Builder.matches(prefix + "{u*}user:*").limit(1_000))
          .forEachRemaining(key -> stored.add(key.substring(key.lastIndexOf("user:") + "user:".length())));
      Set<String> answered = new HashSet<>(answeredIds.values());
      long storedUnanswered = stored.stream().filter(id -> !answered.contains(id)).count();
      long answeredMissing = answered.stream().filter(id -> !stored.contains(id)).count();
      Set<String> probeUsers = new HashSet<>();
      long probeEvents = 0;
      GetResponse event;
      while ((event = inspect.basicGet(probe, true)) != null) {
        probeEvents++;
        probeUsers.add(event.getProps().getHeaders().get("user-id").toString());
      }
      return new Books(stored, storedUnanswered, answeredMissing, probeEvents, probeUsers,
          inspect.queueDeclarePassive(queue).getMessageCount(),
          inspect.queueDeclarePassive(prefix + "userfabric.user-created.dlq").getMessageCount());
    } finally {
      client.shutdown();
    }
  }

  /** A durable queue of our own on the events exchange, as another service would bind. */
  private static String declareProbe(RabbitBroker broker, String prefix) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(broker.uri());
    String probe = prefix + "probe";
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try (Connection connection = factory.newConnection("soak-probe"); Channel channel = connection.createChannel()) {
        channel.queueDeclare(probe, true, false, false, Map.of("x-queue-type", "quorum"));
        channel.queueBind(probe, prefix + "userfabric.events", "user.created");
        return probe;
      } catch (Exception notYet) { // the exchange appears once the replica has connected
        assertTrue(System.nanoTime() < deadline, "the events exchange never appeared: " + notYet);
        pause(200);
      }
    }
  }

  /** The service's own jar, as deployed (as ./userfabric starts it). */
  private static Process startService(String role, Map<String, String> properties) throws Exception {
    return PackagedService.start("soak-" + role, properties, List.of());
  }

  private static void log(String line) {
    System.out.println("[soak] " + line);
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
