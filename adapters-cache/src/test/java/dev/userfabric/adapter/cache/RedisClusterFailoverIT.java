package dev.userfabric.adapter.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userfabric.domain.model.CacheUnavailable;
import dev.userfabric.domain.model.User;
import dev.userfabric.domain.testing.Users;
import dev.userfabric.testing.faults.RedisClusterNodes;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A master of a real Redis Cluster (three masters, three replicas, on free loopback ports) killed
 * while the store is in use: its slots refuse writes (retryable) until its replica is promoted,
 * then work again, and what the replica had is kept. Prints the gap.
 */
class RedisClusterFailoverIT {

  private static RedisClusterNodes nodes;
  private static RedisUserCache cache;

  @BeforeAll
  static void startCluster() throws Exception {
    nodes = RedisClusterNodes.start(3);
    cache = ClusterStores.connectedCache(nodes);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cache != null) {
      cache.close();
    }
    if (nodes != null) {
      nodes.close();
    }
  }

  private static String freshSubject() {
    return UUID.randomUUID().toString();
  }

  @Test
  public void aKilledMastersReplicaTakesOverAndTheStoreWorksAgain() throws Exception {
    User before = Users.fullUser("failover-before-" + freshSubject());
    cache.apply(Users.created(before));
    String key = new CacheKeys(ClusterStores.PREFIX).user(before.id());
    int master = nodes.masterOf(key);
    nodes.awaitReplicated(master, Duration.ofSeconds(10)); // replication is asynchronous

    long killed = System.nanoTime();
    nodes.kill(master);
    User after = Users.fullUser("failover-after-" + freshSubject());
    // A user of the same shard: its slot is the dead master's until the replica takes over.
    while (CacheKeys.shardOf(after.id()) != CacheKeys.shardOf(before.id())) {
      after = Users.fullUser("failover-after-" + freshSubject());
    }
    int refused = 0;
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        cache.apply(Users.created(after));
        break;
      } catch (CacheUnavailable e) {
        refused++; // during the promotion: retryable
        assertTrue(System.nanoTime() < deadline, "the store never worked again");
        Thread.sleep(50);
      }
    }
    long gapMillis = (System.nanoTime() - killed) / 1_000_000;
    System.out.printf("redis cluster failover: writes to the dead master's slots worked again %d ms after the kill"
        + " (%d refused meanwhile)%n", gapMillis, refused);

    assertTrue(refused > 0, "the dead master's slot refused writes until its replica took over");
    assertEquals(before.version(), cache.read(before.id()).version(), "what the replica had is kept");
    assertTrue(cache.read(after.id()).activeUser().isPresent());
    assertTrue(nodes.masterOf(key) != master, "a replica serves the slot now");
  }
}
