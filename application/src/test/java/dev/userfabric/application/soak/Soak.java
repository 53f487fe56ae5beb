package dev.userfabric.application.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import dev.userfabric.adapter.oauth.testing.TestIdentityProvider;
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
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
 * <p>The gRPC replica runs in this JVM with no consumer; the event driver runs in a separate
 * process (the service's own jar, gRPC on a spare port) so that it can be killed with SIGKILL.
 * The client behaves like a real one: it retries UNAVAILABLE, RESOURCE_EXHAUSTED and
 * DEADLINE_EXCEEDED. A durable probe queue bound to the exchange, like another service's,
 * receives every routed event, so the events can be counted too.
 */
class Soak {

  private static final int CALLS = Integer.getInteger("soak.calls", 3_000);
  private static final int CONCURRENCY = 32;
  private static final int CALLS_PER_SECOND = Integer.getInteger("soak.rate", 100);

  private final Map<String, String> answeredIds = new ConcurrentHashMap<>();
  private final Set<String> answeredCreated = ConcurrentHashMap.newKeySet();
  private final AtomicInteger retries = new AtomicInteger();
  private final AtomicInteger givenUp = new AtomicInteger();
  private final Map<Status.Code, AtomicInteger> failuresSeen = new ConcurrentHashMap<>();

  @Test
  public void everyCreatedUserIsStoredOnceWhateverFails() throws Exception {
    try (RabbitBroker broker = new RabbitBroker().start();
        RedisServer redis = new RedisServer(true).start();
        TestIdentityProvider idp = new TestIdentityProvider()) {
      String prefix = "soak-" + ProcessHandle.current().pid() + ".";
      Map<String, String> properties = new HashMap<>(Map.of(
          "userfabric.oauth.issuer", idp.issuer(),
          "userfabric.oauth.audience", TestIdentityProvider.AUDIENCE,
          "userfabric.redis.uri", redis.uri(),
          "userfabric.redis.key-prefix", prefix,
          "userfabric.rabbitmq.uri", broker.uri(),
          "userfabric.rabbitmq.name-prefix", prefix));

      EmbeddedServer api = ApplicationContext.run(EmbeddedServer.class, Map.<String, Object>copyOf(
          with(properties, Map.of("grpc.server.port", Integer.toString(FreePorts.next()),
              "userfabric.rabbitmq.consumers", "0"))));
      Process consumer = startConsumer(properties);
      String probe = declareProbe(broker, prefix);
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", api.getPort()).usePlaintext().build();

      ExecutorService chaos = Executors.newSingleThreadExecutor();
      Process[] consumerNow = {consumer};
      long seconds = CALLS / CALLS_PER_SECOND;
      Future<?> faults = chaos.submit(() -> {
        pause(seconds * 150);
        log("restarting RabbitMQ (SIGKILL, then start)");
        broker.kill();
        broker.start();
        pause(seconds * 150);
        log("restarting Redis (SIGKILL, then start; its append-only file is synced on every write)");
        redis.kill();
        redis.start();
        pause(seconds * 150);
        log("killing the consumer process (SIGKILL)");
        consumerNow[0].destroyForcibly().waitFor();
        pause(3_000);
        consumerNow[0] = startConsumer(properties);
        log("consumer process started again");
        return null;
      });

      long started = System.nanoTime();
      drive(channel, idp);
      faults.get(5, TimeUnit.MINUTES);
      log("calls done in " + (System.nanoTime() - started) / 1_000_000_000 + " s; waiting for the queue to drain");

      Books books = settle(broker, redis, prefix, probe);
      channel.shutdownNow();
      api.close();
      consumerNow[0].destroy();
      consumerNow[0].waitFor(30, TimeUnit.SECONDS);
      chaos.shutdownNow();

      System.out.printf("""

          === soak: %d CreateUser calls for distinct users, %d in flight, RabbitMQ, Redis and the consumer killed and restarted
            answered OK                : %d (created=true %d, created=false %d), gave up %d
            client retries             : %d %s
            users stored in Redis      : %d (each under one key; %d stored with no OK answer, %d answered but missing)
            events routed (probe queue): %d for %d distinct users (%d duplicates from retries whose confirm was lost)
            driver queue left          : %d ready, dead-letter queue: %d
          """, CALLS, CONCURRENCY, answeredIds.size(), answeredCreated.size(), answeredIds.size() - answeredCreated.size(),
          givenUp.get(), retries.get(), failuresSeen, books.stored.size(), books.storedUnanswered, books.answeredMissing,
          books.probeEvents, books.probeUsers.size(), books.probeEvents - books.probeUsers.size(),
          books.queueLeft, books.deadLettered);

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
    for (int attempt = 1; attempt <= 120; attempt++) {
      try {
        CreateUserResponse response = UserServiceGrpc.newBlockingStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
            .withDeadlineAfter(3, TimeUnit.SECONDS)
            .createUser(CreateUserRequest.getDefaultInstance());
        answeredIds.put(subject, response.getUser().getId());
        if (response.getCreated()) {
          answeredCreated.add(subject);
        }
        return;
      } catch (StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        failuresSeen.computeIfAbsent(code, c -> new AtomicInteger()).incrementAndGet();
        if (code != Status.Code.UNAVAILABLE && code != Status.Code.RESOURCE_EXHAUSTED
            && code != Status.Code.DEADLINE_EXCEEDED) {
          throw new AssertionError(subject + " failed with " + e.getStatus(), e);
        }
        retries.incrementAndGet();
        pause(250);
      }
    }
    givenUp.incrementAndGet();
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
      ScanIterator.scan(commands, ScanArgs.Builder.matches(prefix + "user:*").limit(1_000))
          .forEachRemaining(key -> stored.add(key.substring((prefix + "user:").length())));
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

  /** The service's own jar, as deployed, running only the event driver (and a gRPC port nobody calls). */
  private static Process startConsumer(Map<String, String> properties) throws Exception {
    File jar = new File("target/userfabric.jar");
    assertTrue(jar.isFile(), "build the service first: " + jar.getAbsolutePath());
    List<String> command = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java"), "--sun-misc-unsafe-memory-access=allow"));
    with(properties, Map.of("grpc.server.port", Integer.toString(FreePorts.next()),
        "userfabric.rabbitmq.consumers", "2", "userfabric.rabbitmq.retry-max-pause", "1s"))
        .forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.addAll(List.of("-jar", jar.getPath()));
    Path log = Files.createTempFile("userfabric-soak-consumer-", ".log");
    log("consumer process log: " + log);
    return new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
  }

  private static Map<String, String> with(Map<String, String> base, Map<String, String> more) {
    Map<String, String> all = new HashMap<>(base);
    all.putAll(more);
    return all;
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
