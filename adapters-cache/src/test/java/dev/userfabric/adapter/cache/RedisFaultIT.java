package dev.userfabric.adapter.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.userfabric.testing.faults.Elapsed.LONG_TIMEOUT;
import static dev.userfabric.testing.faults.Elapsed.assertFailsAfter;
import static dev.userfabric.testing.faults.Elapsed.assertFailsAtOnce;

import dev.userfabric.domain.model.CacheUnavailable;
import dev.userfabric.domain.model.CallAbandoned;
import dev.userfabric.domain.model.User;
import dev.userfabric.domain.testing.Users;
import dev.userfabric.domain.model.RevocationListUnavailable;
import dev.userfabric.testing.faults.Cleanup;
import dev.userfabric.testing.faults.Elapsed;
import dev.userfabric.testing.faults.RedisServer;
import dev.userfabric.testing.faults.TcpProxy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Redis adapters while Redis fails: a redis-server of the test's own is started late, killed,
 * restarted and frozen; a TCP proxy black-holes the network. The shared Redis is never touched.
 */
class RedisFaultIT {

  private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(500);

  private final Cleanup cleanup = new Cleanup();
  private RedisServer redis;

  @BeforeEach
  void ownRedis() throws Exception {
    redis = new RedisServer();
    cleanup.add(redis);
  }

  @AfterEach
  void tearDown() throws Exception {
    cleanup.close();
  }

  @Test
  public void redisDownAtStartFailsFastThenConnectsByItself() throws Exception {
    RedisUserCache cache = cacheAt(redis.uri(), LONG_TIMEOUT);
    User ada = Users.fullUser("ada");

    assertFailsAtOnce(CacheUnavailable.class, () -> cache.find(ada.id()));
    assertFalse(cache.isConnected());

    redis.start();
    eventually(Duration.ofSeconds(10), cache::isConnected);
    assertTrue(cache.apply(Users.created(ada)));
    assertEquals(Optional.of(ada), cache.find(ada.id()));
  }

  @Test
  public void redisKilledMidRunFailsFastAndRecoversWhenItIsBack() throws Exception {
    redis.start();
    RedisUserCache cache = cacheAt(redis.uri(), LONG_TIMEOUT);
    eventually(Duration.ofSeconds(5), cache::isConnected);
    User ada = Users.fullUser("ada");
    assertTrue(cache.apply(Users.created(ada)));

    redis.kill();
    eventually(Duration.ofSeconds(5), () -> !cache.isConnected());
    // Many callers at once: every one is refused at once, none queues behind the outage.
    ExecutorService callers = Executors.newFixedThreadPool(16);
    cleanup.add(callers::shutdownNow);
    List<Future<?>> refusals = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      refusals.add(callers.submit(() -> assertFailsAtOnce(CacheUnavailable.class, () -> cache.find(ada.id()))));
    }
    for (Future<?> refusal : refusals) {
      refusal.get(LONG_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    redis.start(); // empty again: it keeps no data
    eventually(Duration.ofSeconds(10), cache::isConnected);
    assertEquals(Optional.empty(), cache.find(ada.id()));
    assertTrue(cache.apply(Users.created(ada)));
  }

  @Test
  public void aFrozenRedisTimesOutAtTheCommandTimeout() throws Exception {
    redis.start();
    RedisUserCache cache = cacheAt(redis.uri());
    eventually(Duration.ofSeconds(5), cache::isConnected);

    // Frozen for longer than the timeout plus the margin, so only the timeout can end the wait.
    redis.freezeFor(COMMAND_TIMEOUT.plus(Elapsed.MARGIN).multipliedBy(2));
    assertFailsAfter(CacheUnavailable.class, COMMAND_TIMEOUT, () -> cache.find(Users.fullUser("ada").id()));

    redis.awaitThaw();
    User ada = Users.fullUser("ada");
    assertTrue(cache.apply(Users.created(ada))); // the same connection works again
  }

  @Test
  public void aCallersShorterDeadlineShortensTheWait() throws Exception {
    redis.start();
    TcpProxy proxy = new TcpProxy("127.0.0.1", redis.port());
    cleanup.add(proxy);
    Duration deadline = Duration.ofMillis(150);
    AtomicReference<UnaryOperator<Duration>> caller = new AtomicReference<>(UnaryOperator.identity());
    RedisConnector connector = RedisConnector.openInBackground(
        new RedisCacheSettings("redis://127.0.0.1:" + proxy.port() + "/0", "t:", LONG_TIMEOUT, 64),
        new SimpleMeterRegistry(), timeout -> caller.get().apply(timeout));
    cleanup.add(connector);
    RedisUserCache cache = new RedisUserCache(connector, "t:", RedisUserCache.DEFAULT_TOMBSTONE_RETENTION);
    eventually(Duration.ofSeconds(5), cache::isConnected);
    User ada = Users.fullUser("ada");

    proxy.stall(); // a black hole: nothing comes back
    caller.set(timeout -> deadline.compareTo(timeout) < 0 ? deadline : timeout); // a caller with 150 ms left
    assertFailsAfter(RuntimeException.class, deadline, () -> cache.find(ada.id()));

    caller.set(timeout -> {
      throw new CallAbandoned(CallAbandoned.Reason.CANCELLED, "the caller cancelled the call");
    });
    assertThrows(CallAbandoned.class, () -> cache.find(ada.id()));
    proxy.resume();
  }

  @Test
  public void theRevocationListFailsFastWhileRedisIsDown() throws Exception {
    RedisRevocationList revocations = new RedisRevocationList(
        new RedisCacheSettings(redis.uri(), "t:", LONG_TIMEOUT, 64), Duration.ofHours(1));
    cleanup.add(revocations);

    assertFailsAtOnce(RevocationListUnavailable.class, () -> revocations.isRevoked(
        dev.userfabric.domain.testing.Tokens.personal(Users.identity("ada"), "t1")));

    redis.start();
    eventually(Duration.ofSeconds(10), revocations::isConnected);
    assertFalse(revocations.isRevoked(dev.userfabric.domain.testing.Tokens.personal(Users.identity("ada"), "t1")));
  }

  private RedisUserCache cacheAt(String uri) {
    return cacheAt(uri, COMMAND_TIMEOUT);
  }

  private RedisUserCache cacheAt(String uri, Duration commandTimeout) {
    RedisUserCache cache = new RedisUserCache(new RedisCacheSettings(uri, "t:", commandTimeout, 64));
    cleanup.add(cache);
    return cache;
  }

  private static void eventually(Duration within, java.util.function.BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "condition not met within " + within);
      Thread.sleep(20);
    }
  }
}
