package dev.userfabric.adapter.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userfabric.domain.model.CacheUnavailable;
import dev.userfabric.domain.model.User;
import dev.userfabric.domain.testing.Users;
import dev.userfabric.testing.faults.RedisClusterNodes;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A master of a real Redis Cluster (three masters, three replicas, on free loopback ports) killed
 * while the store is in use: its slots refuse writes (retryable) until its replica is promoted,
 * then work again, and every write the store acknowledged, before or during the kill, is there
 * (on a cluster a write returns once a replica has it). Prints the gap and the books.
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
    // No wait for replication here: on a cluster a write returns once a replica has it (WAIT 1).

    // Writers across every shard all along, each remembering what the store acknowledged.
    Set<User> acknowledged = ConcurrentHashMap.newKeySet();
    AtomicBoolean writing = new AtomicBoolean(true);
    ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor();
    for (int w = 0; w < 8; w++) {
      writers.execute(() -> {
        while (writing.get()) {
          User user = Users.fullUser("failover-load-" + freshSubject());
          try {
            cache.apply(Users.created(user));
            acknowledged.add(user);
          } catch (CacheUnavailable e) {
            // refused: not acknowledged, as the driver would not ack its event
          }
        }
      });
    }
    ClusterStores.eventually(Duration.ofSeconds(10), () -> acknowledged.size() >= 200);

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
        assertTrue(System.nanoTime() < deadline, "the store never worked again: " + e + " (" + e.getCause() + ")");
        Thread.sleep(50);
      }
    }
    long gapMillis = (System.nanoTime() - killed) / 1_000_000;
    System.out.printf("redis cluster failover: writes to the dead master's slots worked again %d ms after the kill"
        + " (%d refused meanwhile)%n", gapMillis, refused);

    int beforeStop = acknowledged.size();
    ClusterStores.eventually(Duration.ofSeconds(10), () -> acknowledged.size() >= beforeStop + 200);
    writing.set(false);
    writers.close();
    List<User> missing = acknowledged.stream().filter(user -> cache.read(user.id()).activeUser().isEmpty()).toList();
    System.out.printf("redis cluster failover books: %d writes acknowledged across the kill, %d missing after it%n",
        acknowledged.size(), missing.size());
    assertEquals(List.of(), missing, "every acknowledged write survived the master's loss");

    assertTrue(refused > 0, "the dead master's slot refused writes until its replica took over");
    assertEquals(before.version(), cache.read(before.id()).version(), "a write acknowledged before the kill is kept");
    assertTrue(cache.read(after.id()).activeUser().isPresent());
    assertTrue(nodes.masterOf(key) != master, "a replica serves the slot now");
  }
}
