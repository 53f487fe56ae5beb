package dev.userfabric.adapter.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.model.InvalidAccessToken;
import dev.userfabric.domain.model.VerifiedAccessToken;
import dev.userfabric.domain.testing.Tokens;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class VerifiedTokenCacheTest {

  private final AtomicReference<Instant> now = new AtomicReference<>(Tokens.ISSUED_AT.plusSeconds(1));
  private final InstantSource clock = () -> now.get();
  private final VerifiedTokenCache cache = new VerifiedTokenCache(clock);
  private final VerifiedAccessToken alice = Tokens.personal(new Identity("https://idp.test", "alice"), "jti-1");
  private final AtomicInteger verifications = new AtomicInteger();

  @Test
  void aTokenThatVerifiedIsNotVerifiedAgain() {
    VerifiedAccessToken first = cache.verify("token-a", this::verifyAlice);
    VerifiedAccessToken second = cache.verify("token-a", this::verifyAlice);

    assertSame(first, second);
    assertEquals(1, verifications.get());
  }

  @Test
  void anotherEncodingIsAnotherEntry() {
    cache.verify("token-a", this::verifyAlice);
    cache.verify("token-b", this::verifyAlice);

    assertEquals(2, verifications.get());
  }

  @Test
  void anEntryEndsWithTheToken() {
    cache.verify("token-a", this::verifyAlice);
    now.set(Tokens.EXPIRES_AT);

    assertThrows(InvalidAccessToken.class, () -> cache.verify("token-a", () -> {
      verifications.incrementAndGet();
      throw new InvalidAccessToken("token has expired");
    }));
    assertEquals(2, verifications.get());
  }

  @Test
  void aRefusalIsNotRemembered() {
    assertThrows(InvalidAccessToken.class, () -> cache.verify("token-a", () -> {
      verifications.incrementAndGet();
      throw new InvalidAccessToken("signature refused");
    }));
    cache.verify("token-a", this::verifyAlice);

    assertEquals(2, verifications.get());
  }

  private VerifiedAccessToken verifyAlice() {
    verifications.incrementAndGet();
    return alice;
  }
}
