package dev.userfabric.adapter.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userfabric.domain.model.CacheUnavailable;
import dev.userfabric.domain.model.CallAbandoned;
import dev.userfabric.domain.model.User;
import dev.userfabric.domain.port.CallBudget;
import dev.userfabric.domain.testing.Users;
import dev.userfabric.testing.faults.Cleanup;
import dev.userfabric.testing.faults.RedisServer;
import dev.userfabric.testing.faults.TcpProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
    RedisUserCache cache = cacheAt(redis.uri());
    User ada = Users.fullUser("ada");

    long started = System.nanoTime();
    assertThrows(CacheUnavailable.class, () -> cache.find(ada.id()));
    assertTrue(millisSince(started) < 100, "failed in " + millisSince(started) + " ms");
    assertFalse(cache.isConnected());

    redis.start();
    eventually(Duration.ofSeconds(10), cache::isConnected);
    assertTrue(cache.insertIfAbsent(ada));
    assertEquals(Optional.of(ada), cache.find(ada.id()));
  }

  @Test
  public void redisKilledMidRunFailsFastAndRecoversWhenItIsBack() throws Exception {
    redis.start();
    RedisUserCache cache = cacheAt(redis.uri());
    eventually(Duration.ofSeconds(5), cache::isConnected);
    User ada = Users.fullUser("ada");
    assertTrue(cache.insertIfAbsent(ada));

    redis.kill();
    eventually(Duration.ofSeconds(5), () -> !cache.isConnected());
    // Many callers at once: every one is refused at once, none queues behind the outage.
    ExecutorService callers = Executors.newFixedThreadPool(16);
    cleanup.add(callers::shutdownNow);
    List<Future<Long>> refusals = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      refusals.add(callers.submit(() -> {
        long started = System.nanoTime();
        assertThrows(CacheUnavailable.class, () -> cache.find(ada.id()));
        return millisSince(started);
      }));
    }
    for (Future<Long> refusal : refusals) {
      long took = refusal.get(5, TimeUnit.SECONDS);
      assertTrue(took < 100, "refused in " + took + " ms");
    }

    redis.start(); // empty again: it keeps no data
    eventually(Duration.ofSeconds(10), cache::isConnected);
    assertEquals(Optional.empty(), cache.find(ada.id()));
    assertTrue(cache.insertIfAbsent(ada));
  }

  @Test
  public void aFrozenRedisTimesOutAtTheCommandTimeout() throws Exception {
    redis.start();
    RedisUserCache cache = cacheAt(redis.uri());
    eventually(Duration.ofSeconds(5), cache::isConnected);

    redis.freezeFor(Duration.ofSeconds(2));
    long started = System.nanoTime();
    assertThrows(CacheUnavailable.class, () -> cache.find(Users.fullUser("ada").id()));
    long took = millisSince(started);
    assertTrue(took >= 350 && took < 1_000, "timed out after " + took + " ms");

    Thread.sleep(2_000);
    User ada = Users.fullUser("ada");
    assertTrue(cache.insertIfAbsent(ada)); // the same connection works again
  }

  @Test
  public void aCallersShorterDeadlineShortensTheWait() throws Exception {
    redis.start();
    TcpProxy proxy = new TcpProxy("127.0.0.1", redis.port());
    cleanup.add(proxy);
    RedisUserCache cache = cacheAt("redis://127.0.0.1:" + proxy.port() + "/0");
    eventually(Duration.ofSeconds(5), cache::isConnected);
    User ada = Users.fullUser("ada");

    proxy.stall(); // a black hole: nothing comes back
    long started = System.nanoTime();
    assertThrows(RuntimeException.class, () -> CallBudget.of(Duration.ofMillis(150), () -> false)
        .within(() -> cache.find(ada.id())));
    long took = millisSince(started);
    assertTrue(took >= 100 && took < 400, "gave up after " + took + " ms");

    assertThrows(CallAbandoned.class, () -> CallBudget.of(Duration.ZERO, () -> false)
        .within(() -> cache.find(ada.id())));
    proxy.resume();
  }

  @Test
  public void theRevocationListFailsFastWhileRedisIsDown() throws Exception {
    RedisRevocationList revocations = new RedisRevocationList(
        new RedisCacheSettings(redis.uri(), "t:", COMMAND_TIMEOUT, 64), Duration.ofHours(1));
    cleanup.add(revocations);

    long started = System.nanoTime();
    assertThrows(RuntimeException.class, () -> revocations.isRevoked(
        dev.userfabric.domain.testing.Tokens.personal(Users.identity("ada"), "t1")));
    assertTrue(millisSince(started) < 100);

    redis.start();
    eventually(Duration.ofSeconds(10), revocations::isConnected);
    assertFalse(revocations.isRevoked(dev.userfabric.domain.testing.Tokens.personal(Users.identity("ada"), "t1")));
  }

  private RedisUserCache cacheAt(String uri) {
    RedisUserCache cache = new RedisUserCache(new RedisCacheSettings(uri, "t:", COMMAND_TIMEOUT, 64));
    cleanup.add(cache);
    return cache;
  }

  private static long millisSince(long started) {
    return (System.nanoTime() - started) / 1_000_000;
  }

  private static void eventually(Duration within, java.util.function.BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "condition not met within " + within);
      Thread.sleep(20);
    }
  }
}
