package dev.userfabric.application.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.userfabric.adapter.cache.RedisCacheSettings;
import dev.userfabric.adapter.cache.RedisUserCache;
import dev.userfabric.adapter.event.EventLogReplay;
import dev.userfabric.adapter.event.EventTopology;
import dev.userfabric.adapter.event.RabbitConnection;
import dev.userfabric.adapter.event.RabbitSettings;
import dev.userfabric.adapter.event.RabbitUserEventPublisher;
import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserEvent;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.port.out.UserPage;
import dev.userfabric.domain.port.out.UserQuery;
import dev.userfabric.domain.service.ApplyUserEventService;
import dev.userfabric.domain.testing.Users;
import dev.userfabric.testing.faults.RabbitBroker;
import dev.userfabric.testing.faults.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * ListUsers over 100,000 stored users, and a rebuild of a store from the event log, each beside
 * the building block it cannot beat, measured in the same run on a Redis and a RabbitMQ node of
 * its own: reading every user record pipelined (HGETALL), and applying every event straight to
 * Redis without the broker. Run with {@code scripts/lifecycle-bench.sh}; not part of ./test.sh.
 */
class LifecycleBench {

  private static final int USERS = Integer.getInteger("bench.users", 100_000);
  private static final int IN_FLIGHT = 256;
  private static final String ISSUER = "https://bench-idp.example.test";

  @Test
  public void listingAndRebuild() throws Exception {
    try (RedisServer redis = new RedisServer().start();
        RabbitBroker broker = new RabbitBroker().start()) {
      List<UserEvent> events = events();
      List<String> report = new ArrayList<>();

      RedisUserCache store = new RedisUserCache(RedisCacheSettings.of(redis.uri(), "bench:"));
      long applyNanos = timed(() -> applyAll(store, events));
      report.add(line("apply every event to Redis, no broker (block)", events.size(), applyNanos, "events"));

      for (int pageSize : new int[] {1000, 100}) {
        List<Long> pageNanos = new ArrayList<>();
        int[] listed = {0};
        long listNanos = timed(() -> listed[0] = listAll(store, pageSize, pageNanos));
        report.add(line("ListUsers, page size " + pageSize + " (" + pageNanos.size() + " pages, median page "
            + String.format(Locale.ROOT, "%.1f ms", median(pageNanos) / 1e6) + ")", listed[0], listNanos, "users"));
      }
      long hgetallNanos = timed(() -> readAllRecords(redis.uri(), store));
      report.add(line("HGETALL of every user record, pipelined (block)", USERS, hgetallNanos, "users"));

      EventTopology topology = EventTopology.withPrefix("bench.");
      try (RabbitConnection connection = new RabbitConnection(RabbitSettings.of(broker.uri(), topology).withConsumers(0))) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!connection.isReady() && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        RabbitUserEventPublisher publisher = new RabbitUserEventPublisher(connection);
        long publishNanos = timed(() -> publishAll(publisher, events));
        report.add(line("publish every event with confirms (into the queue and the log)", events.size(), publishNanos,
            "events"));

        RedisUserCache rebuilt = new RedisUserCache(RedisCacheSettings.of(redis.uri(), "rebuilt:"));
        EventLogReplay.Result result = new EventLogReplay(connection, new ApplyUserEventService(rebuilt))
            .replay(Optional.empty(), Duration.ofSeconds(2));
        assertEquals(events.size(), result.read());
        long replayNanos = result.took().minusSeconds(2).toNanos(); // the idle wait at the end is not work
        report.add(line("rebuild: replay the log into an empty store", (int) result.read(), replayNanos, "events"));
        report.add(String.format(Locale.ROOT, "  = %.0f users/s (%d users)", USERS * 1e9 / replayNanos, USERS));
        int differing = 0;
        for (UserEvent event : events.subList(0, USERS)) {
          if (!store.read(event.userId()).equals(rebuilt.read(event.userId()))) {
            differing++;
          }
        }
        assertEquals(0, differing, "records that differ between the driver's store and the rebuilt one");
        report.add("  rebuilt store equal record by record to the original: " + USERS + " of " + USERS);
        publisher.close();
        rebuilt.close();
      }
      store.close();
      System.out.println("\n=== userfabric lifecycle benchmark: " + USERS + " users, " + events.size() + " events, "
          + Runtime.getRuntime().availableProcessors() + " cores\n" + String.join("\n", report) + "\n");
    }
  }

  /** USERS creations, then an update of every fifth user and an erasure of every tenth. */
  private static List<UserEvent> events() {
    List<UserEvent> events = new ArrayList<>();
    List<User> users = new ArrayList<>();
    for (int i = 0; i < USERS; i++) {
      User user = Users.user(ISSUER, "bench-" + i, "bench-" + i + "@example.test", 1_000);
      users.add(user);
      events.add(Users.created(user));
    }
    for (int i = 0; i < USERS; i += 5) {
      events.add(Users.updated(users.get(i), "changed-" + i + "@example.test", 1_001));
    }
    for (int i = 0; i < USERS; i += 10) {
      events.add(Users.deleted(users.get(i), 1_002));
    }
    return events;
  }

  private static void applyAll(RedisUserCache store, List<UserEvent> events) throws InterruptedException {
    inParallel(events, store::apply);
  }

  private static void publishAll(RabbitUserEventPublisher publisher, List<UserEvent> events)
      throws InterruptedException {
    inParallel(events, publisher::publish);
  }

  /** Each event on a virtual thread of its own, IN_FLIGHT at a time. */
  private static void inParallel(List<UserEvent> events, java.util.function.Consumer<UserEvent> work)
      throws InterruptedException {
    Semaphore window = new Semaphore(IN_FLIGHT);
    try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
      for (UserEvent event : events) {
        window.acquire();
        workers.execute(() -> {
          try {
            work.accept(event);
          } finally {
            window.release();
          }
        });
      }
    }
  }

  private static int listAll(RedisUserCache store, int pageSize, List<Long> pageNanos) {
    int listed = 0;
    Optional<UserId> after = Optional.empty();
    while (true) {
      long started = System.nanoTime();
      UserPage page = store.list(new UserQuery(Optional.empty(), after, pageSize));
      pageNanos.add(System.nanoTime() - started);
      listed += page.users().size();
      if (page.next().isEmpty()) {
        return listed;
      }
      after = page.next();
    }
  }

  /** The least any listing must do: every stored record read once, as many in flight as Redis takes. */
  private static void readAllRecords(String uri, RedisUserCache store) throws Exception {
    RedisClient client = RedisClient.create(uri);
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      List<String> keys = new ArrayList<>();
      io.lettuce.core.ScanIterator.scan(connection.sync(), io.lettuce.core.ScanArgs.Builder.matches("bench:{u*}user:*")
          .limit(10_000)).forEachRemaining(keys::add);
      List<RedisFuture<java.util.Map<String, String>>> replies = new ArrayList<>(IN_FLIGHT);
      long started = System.nanoTime();
      for (String key : keys) {
        replies.add(connection.async().hgetall(key));
        if (replies.size() == 1000) {
          for (RedisFuture<?> reply : replies) {
            reply.get();
          }
          replies.clear();
        }
      }
      for (RedisFuture<?> reply : replies) {
        reply.get();
      }
    } finally {
      client.shutdown();
    }
  }

  private static long timed(ThrowingRunnable work) throws Exception {
    long started = System.nanoTime();
    work.run();
    return System.nanoTime() - started;
  }

  private static String line(String what, int count, long nanos, String unit) {
    return String.format(Locale.ROOT, "%-78s %9.0f %s/s  (%d in %.2f s)", what, count * 1e9 / nanos, unit, count,
        nanos / 1e9);
  }

  private static double median(List<Long> values) {
    long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
    return sorted.length == 0 ? 0 : sorted[sorted.length / 2];
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }
}
