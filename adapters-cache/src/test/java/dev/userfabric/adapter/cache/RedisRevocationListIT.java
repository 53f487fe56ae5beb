package dev.userfabric.adapter.cache;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userfabric.domain.model.RevocationListUnavailable;
import dev.userfabric.domain.model.VerifiedAccessToken;
import dev.userfabric.domain.port.out.RevocationList;
import dev.userfabric.domain.testing.RevocationListContract;
import dev.userfabric.domain.testing.Tokens;
import dev.userfabric.domain.testing.Users;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The revocation contract against the real local Redis, plus expiry and outage behaviour. */
class RedisRevocationListIT extends RevocationListContract {

  private static final String REDIS_URI =
      System.getProperty("userfabric.test.redis.uri", "redis://127.0.0.1:6379");
  private static final String PREFIX = "userfabric-test:" + UUID.randomUUID() + ":";

  private static RedisRevocationList revocations;
  private static RedisClient inspector;
  private static StatefulRedisConnection<String, String> inspection;

  @BeforeAll
  static void connect() {
    revocations = new RedisRevocationList(RedisCacheSettings.of(REDIS_URI, PREFIX), Duration.ofHours(24));
    inspector = RedisClient.create(REDIS_URI);
    inspection = inspector.connect();
  }

  @AfterAll
  static void deleteWhatThisRunWrote() {
    ScanIterator<String> keys = ScanIterator.scan(inspection.sync(), ScanArgs.Builder.matches(PREFIX + "*").limit(500));
    keys.forEachRemaining(key -> inspection.sync().del(key));
    inspection.close();
    inspector.shutdown();
    revocations.close();
  }

  @Override
  protected RevocationList revocations() {
    return revocations;
  }

  @Test
  public void entriesExpireWhenTheTokenWouldHave() {
    VerifiedAccessToken token = Tokens.issuedAt(Instant.now().minusSeconds(60), Users.identity("ttl-" + UUID.randomUUID()), "jti-ttl");
    revocations.revoke(token);

    String key = PREFIX + "revoked:token:*";
    ScanIterator<String> keys = ScanIterator.scan(inspection.sync(), ScanArgs.Builder.matches(key).limit(500));
    boolean anyWithLimitedLife = false;
    while (keys.hasNext()) {
      long ttlMillis = inspection.sync().pttl(keys.next());
      assertTrue(ttlMillis > 0, "every entry expires");
      anyWithLimitedLife |= ttlMillis <= Duration.ofHours(1).plus(RedisRevocationList.SKEW_MARGIN).toMillis();
    }
    assertTrue(anyWithLimitedLife);
  }

  @Test
  public void doesNotRecordTokensThatExpiredLongAgo() {
    VerifiedAccessToken old = Tokens.issuedAt(Instant.now().minus(Duration.ofDays(2)), Users.identity("old-" + UUID.randomUUID()), "jti-old");

    revocations.revoke(old);

    assertFalse(revocations.isRevoked(old));
  }

  @Test
  public void failsClosedWhenRedisIsUnreachable() throws Exception {
    int freePort;
    try (ServerSocket socket = new ServerSocket(0)) {
      freePort = socket.getLocalPort();
    }
    try (RedisRevocationList unreachable = new RedisRevocationList(new RedisCacheSettings(
        "redis://127.0.0.1:" + freePort, PREFIX, Duration.ofMillis(500), 16), Duration.ofHours(1))) {
      assertThrows(RevocationListUnavailable.class,
          () -> unreachable.isRevoked(Tokens.personal(Users.identity("ada"), "jti")));
    }
  }
}
