package dev.userfabric.adapter.cache;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userfabric.testing.faults.RedisClusterNodes;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** The cluster tests' store, connected before the tests begin, and their polling. */
final class ClusterStores {

  static final String PREFIX = "t:";

  private ClusterStores() {}

  static RedisCacheSettings settings(RedisClusterNodes nodes) {
    return new RedisCacheSettings(nodes.uri(), PREFIX, Duration.ofSeconds(1), 10_000);
  }

  static RedisUserCache connectedCache(RedisClusterNodes nodes) throws InterruptedException {
    RedisUserCache cache = new RedisUserCache(settings(nodes));
    eventually(Duration.ofSeconds(10), cache::isConnected);
    return cache;
  }

  static void eventually(Duration within, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "condition not met within " + within);
      Thread.sleep(20);
    }
  }
}
