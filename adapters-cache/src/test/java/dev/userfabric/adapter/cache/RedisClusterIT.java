package dev.userfabric.adapter.cache;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userfabric.domain.model.CacheUnavailable;
import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.port.out.RevocationList;
import dev.userfabric.domain.port.out.UserCache;
import dev.userfabric.domain.port.out.UserPage;
import dev.userfabric.domain.port.out.UserQuery;
import dev.userfabric.domain.port.out.LinkIndex;
import dev.userfabric.domain.testing.LinkIndexContract;
import dev.userfabric.domain.testing.RevocationListContract;
import dev.userfabric.domain.testing.UserCacheContract;
import dev.userfabric.domain.testing.Users;
import dev.userfabric.testing.faults.RedisClusterNodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The user store on a real Redis Cluster of three masters and three replicas, started for this
 * class on free loopback ports: every behaviour of the store (the contract), listing across the
 * shards the nodes hold, and the revocation list, whose check reads keys of two slots at once
 * (the client splits it by slot). RedisClusterFailoverIT kills a master.
 */
class RedisClusterIT extends UserCacheContract {

  private static RedisClusterNodes nodes;
  private static RedisUserCache cache;
  private static RedisRevocationList revocations;
  private static RedisConnector linkConnector;

  @BeforeAll
  static void startCluster() throws Exception {
    nodes = RedisClusterNodes.start(3);
    cache = ClusterStores.connectedCache(nodes);
    revocations = new RedisRevocationList(ClusterStores.settings(nodes),
        Duration.ofHours(24));
    linkConnector = new RedisConnector(ClusterStores.settings(nodes));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cache != null) {
      cache.close();
    }
    if (revocations != null) {
      revocations.close();
    }
    if (linkConnector != null) {
      linkConnector.close();
    }
    if (nodes != null) {
      nodes.close();
    }
  }

  @Override
  protected UserCache cache() {
    return cache;
  }

  /** The revocation list's contract on the same cluster: its keys of one check lie in two slots. */
  @Nested
  class Revocations extends RevocationListContract {
    @Override
    protected RevocationList revocations() {
      return revocations;
    }
  }

  /** The link index's contract on the same cluster: an email's two keys share one slot. */
  @Nested
  class LinkIndexes extends LinkIndexContract {
    private final RedisLinkIndex index = new RedisLinkIndex(linkConnector, ClusterStores.PREFIX,
        RedisLinkIndex.DEFAULT_CLAIM_TTL);

    @Override
    protected LinkIndex index() {
      return index;
    }
  }

  @Test
  public void aWriteNoReplicaConfirmedIsNotAcknowledged() throws Exception {
    User user = Users.fullUser("unreplicated-" + freshSubject());
    int master = nodes.masterOf(new CacheKeys(ClusterStores.PREFIX).user(user.id()));
    int replica = nodes.replicaOf(master);
    nodes.freeze(replica); // alive to the cluster for a while (cluster-node-timeout), but silent
    try {
      assertThrows(CacheUnavailable.class, () -> cache.apply(Users.created(user)),
          "a master that alone has the write could lose it with its life");
    } finally {
      nodes.thaw(replica);
    }
    ClusterStores.eventually(Duration.ofSeconds(10), () -> {
      try {
        cache.apply(Users.created(user)); // the driver's retry: now on both
        return true;
      } catch (CacheUnavailable stillCatchingUp) {
        return false;
      }
    });
    assertTrue(cache.read(user.id()).activeUser().isPresent());
  }

  @Test
  public void listsEveryUserInIdOrderAcrossTheNodes() {
    List<User> stored = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      User user = Users.user(Users.ISSUER, "listed-" + freshSubject(), "l" + i + "@example.test", 1);
      cache.apply(Users.created(user));
      stored.add(user);
    }
    Set<UserId> listed = new HashSet<>();
    String previous = "";
    Optional<UserId> after = Optional.empty();
    do {
      UserPage page = cache.list(new UserQuery(Optional.empty(), after, 37));
      for (User user : page.users()) {
        assertTrue(user.id().toString().compareTo(previous) > 0, "in id order");
        previous = user.id().toString();
        listed.add(user.id());
      }
      after = page.next();
    } while (after.isPresent());
    stored.forEach(user -> assertTrue(listed.contains(user.id()), "listed: " + user.id()));
  }

}
