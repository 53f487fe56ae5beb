package dev.userfabric.adapter.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.port.out.LinkIndex;
import dev.userfabric.domain.port.out.LinkIndex.Claim;
import dev.userfabric.domain.testing.LinkIndexContract;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The link index contract against the real local Redis, and what Redis adds: claims expire, no address in a key. */
class RedisLinkIndexIT extends LinkIndexContract {

  private static final String REDIS_URI =
      System.getProperty("userfabric.test.redis.uri", "redis://127.0.0.1:6379");
  private static final String PREFIX = "userfabric-test:" + UUID.randomUUID() + ":";

  private static RedisConnector connector;
  private static RedisLinkIndex index;
  private static RedisLinkIndex shortClaims;
  private static RedisClient inspector;
  private static StatefulRedisConnection<String, String> inspection;

  @BeforeAll
  static void connect() {
    connector = new RedisConnector(RedisCacheSettings.of(REDIS_URI, PREFIX));
    index = new RedisLinkIndex(connector, PREFIX, RedisLinkIndex.DEFAULT_CLAIM_TTL);
    shortClaims = new RedisLinkIndex(connector, PREFIX, Duration.ofMillis(300));
    inspector = RedisClient.create(REDIS_URI);
    inspection = inspector.connect(); // fails loudly when the test Redis is not running
  }

  @AfterAll
  static void deleteWhatThisRunWrote() {
    ScanIterator.scan(inspection.sync(), ScanArgs.Builder.matches(PREFIX + "*").limit(500))
        .forEachRemaining(key -> inspection.sync().del(key));
    inspection.close();
    inspector.shutdown();
    connector.close();
  }

  @Override
  protected LinkIndex index() {
    return index;
  }

  @Test
  public void aClaimWhoseUserIsNeverStoredExpires() throws Exception {
    String email = "lost-" + UUID.randomUUID() + "@example.test";
    UserId lost = UserId.of(new Identity("https://a.example.test", "lost"));
    UserId next = UserId.of(new Identity("https://b.example.test", "next"));
    assertInstanceOf(Claim.Claimed.class, shortClaims.claim("corporate", email, lost));

    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    Claim claim;
    while ((claim = shortClaims.claim("corporate", email, next)) instanceof Claim.Pending) {
      assertTrue(System.nanoTime() < deadline, "the claim did not expire within 10 s");
      Thread.sleep(50);
    }

    assertInstanceOf(Claim.Claimed.class, claim);
  }

  @Test
  public void keysNameADigestNotTheAddress() {
    String email = "private-" + UUID.randomUUID() + "@example.test";
    index.index("corporate", email, UserId.of(new Identity("https://a.example.test", "p")));

    var keys = inspection.sync().keys(PREFIX + "*link:owners");
    assertTrue(keys.stream().noneMatch(key -> key.contains("private-")));
    assertEquals(1, inspection.sync().smembers(new CacheKeys(PREFIX).linkOwners("corporate", email)).size());
  }
}
