package dev.userfabric.adapter.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userfabric.domain.model.CacheUnavailable;
import dev.userfabric.domain.model.CorruptUserRecord;
import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.port.out.UserCache;
import dev.userfabric.domain.testing.UserCacheContract;
import dev.userfabric.domain.testing.Users;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The cache contract, plus Redis specifics, against the real local Redis. */
class RedisUserCacheIT extends UserCacheContract {

  private static final String REDIS_URI =
      System.getProperty("userfabric.test.redis.uri", "redis://127.0.0.1:6379");
  // Every key this run writes starts with this, so runs never see each other's users.
  private static final String PREFIX = "userfabric-test:" + UUID.randomUUID() + ":";

  private static RedisUserCache cache;
  private static RedisClient inspector;
  private static StatefulRedisConnection<String, String> inspection;

  @BeforeAll
  static void connect() {
    cache = new RedisUserCache(RedisCacheSettings.of(REDIS_URI, PREFIX));
    inspector = RedisClient.create(REDIS_URI);
    inspection = inspector.connect(); // fails loudly when the test Redis is not running
  }

  @AfterAll
  static void deleteWhatThisRunWrote() {
    ScanIterator<String> keys =
        ScanIterator.scan(inspection.sync(), ScanArgs.Builder.matches(PREFIX + "*").limit(500));
    keys.forEachRemaining(key -> inspection.sync().del(key));
    inspection.close();
    inspector.shutdown();
    cache.close();
  }

  @Override
  protected UserCache cache() {
    return cache;
  }

  @Test
  public void storesAVersionedHashUnderThePrefixInItsShardsSlot() {
    User user = Users.fullUser(freshSubject());

    cache.apply(Users.created(user));

    String shard = user.id().toString().substring(0, 2);
    Map<String, String> stored = inspection.sync().hgetall(PREFIX + "{u" + shard + "}user:" + user.id());
    assertEquals("2", stored.get("v"));
    assertEquals(user.identity().subject(), stored.get("sub"));
    assertEquals("true", stored.get("email_verified"));
    assertEquals(Long.toString(user.version()), stored.get("version"));
    assertEquals(0.0, inspection.sync().zscore(PREFIX + "{u" + shard + "}users", user.id().toString()));
  }

  @Test
  public void appliesAgainAfterRedisLostItsScripts() {
    User first = Users.fullUser(freshSubject());
    User second = Users.fullUser(freshSubject());
    cache.apply(Users.created(first));

    inspection.sync().scriptFlush(); // as after a restart or a failover to a replica

    assertTrue(cache.apply(Users.created(second)), "applied by sending the script's text again");
    assertTrue(cache.read(second.id()).activeUser().isPresent());
    assertEquals(second.version(), cache.read(second.id()).version());
  }

  @Test
  public void appliesABatchAgainAfterRedisLostItsScripts() {
    User first = Users.fullUser(freshSubject());
    User second = Users.fullUser(freshSubject());
    User third = Users.fullUser(freshSubject());
    var firstCreated = Users.created(first);
    cache.apply(firstCreated);

    inspection.sync().scriptFlush();

    // The same event again (a new one of the same version could win the tie-break by its id).
    assertEquals(java.util.List.of(true, false, true),
        cache.applyAll(java.util.List.of(Users.created(second), firstCreated, Users.created(third))),
        "the first loads the script again, the others find it; each answer is its own");
    assertEquals(second.version(), cache.read(second.id()).version());
    assertTrue(cache.read(third.id()).activeUser().isPresent());
  }

  @Test
  public void keepsATombstoneOnlyForTheRetentionAndUnlistsTheUser() {
    User user = Users.user(Users.ISSUER, freshSubject(), "gone@example.test", 1);
    cache.apply(Users.created(user));

    cache.apply(Users.deleted(user, 2));

    String shard = user.id().toString().substring(0, 2);
    String key = PREFIX + "{u" + shard + "}user:" + user.id();
    Map<String, String> tombstone = inspection.sync().hgetall(key);
    assertEquals(null, tombstone.get("email"), "no personal data left");
    assertEquals(null, tombstone.get("sub"));
    long ttl = inspection.sync().pttl(key);
    assertTrue(ttl > 0 && ttl <= RedisUserCache.DEFAULT_TOMBSTONE_RETENTION.toMillis(), "expires: " + ttl);
    assertEquals(null, inspection.sync().zscore(PREFIX + "{u" + shard + "}users", user.id().toString()));
  }

  @Test
  public void refusesToGuessAtAnEncodingItDoesNotKnow() {
    UserId id = UserId.of(Users.identity(freshSubject()));
    String shard = id.toString().substring(0, 2);
    inspection.sync().hset(PREFIX + "{u" + shard + "}user:" + id, Map.of("v", "99", "id", id.toString()));

    assertThrows(CorruptUserRecord.class, () -> cache.find(id));
  }

  @Test
  public void reportsAnUnreachableRedisAsCacheUnavailable() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    RedisCacheSettings nowhere = new RedisCacheSettings(
        "redis://127.0.0.1:" + closedPort, PREFIX, Duration.ofMillis(300), 16);

    try (RedisUserCache unreachable = new RedisUserCache(nowhere)) {
      assertThrows(CacheUnavailable.class,
          () -> unreachable.find(UserId.of(Users.identity("ada"))));
      // A read ahead fails only when its answer is asked for: a revoked token's call never asks.
      var ahead = unreachable.readAhead(UserId.of(Users.identity("ada")));
      assertThrows(CacheUnavailable.class, ahead::get);
      assertThrows(CacheUnavailable.class, () -> unreachable.apply(Users.created(Users.bareUser("ada"))));
    }
  }
}
