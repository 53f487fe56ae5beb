package dev.userfabric.adapter.cache;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userfabric.testing.faults.RedisClusterNodes;
import java.time.Duration;

/** The cluster tests' store, connected before the tests begin. */
final class ClusterStores {

  static final String PREFIX = "t:";

  private ClusterStores() {}

  static RedisCacheSettings settings(RedisClusterNodes nodes) {
    return new RedisCacheSettings(nodes.uri(), PREFIX, Duration.ofSeconds(1), 10_000);
  }

  static RedisUserCache connectedCache(RedisClusterNodes nodes) throws InterruptedException {
    RedisUserCache cache = new RedisUserCache(settings(nodes));
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!cache.isConnected()) {
      assertTrue(System.nanoTime() < deadline, "never connected to the cluster");
      Thread.sleep(20);
    }
    return cache;
  }
}
