package dev.userfabric.adapter.oauth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.userfabric.domain.model.VerifiedAccessToken;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Tokens that verified, by a SHA-256 digest of their text, so that a client presenting the same
 * token again is not verified again: the signature check is most of a known user's call. Only
 * successes are kept (a refusal is worked out again every time, and costs an attacker as much);
 * an entry never outlives the token's {@code exp}, nor {@link #MAX_AGE}, the same bound as the
 * signing keys' own cache, so a key the issuer withdraws stops counting as soon as it would
 * without this cache. Revocation is not this cache's business: it is checked on every call.
 */
final class VerifiedTokenCache {

  static final Duration MAX_AGE = Duration.ofMinutes(5);
  static final int MAX_TOKENS = 10_000;
  // A copy of a ready digest costs less than asking the security providers for one every call.
  private static final MessageDigest SHA_256 = newSha256();

  private final Cache<ByteBuffer, VerifiedAccessToken> verified;
  private final InstantSource clock;

  VerifiedTokenCache(InstantSource clock) {
    this.clock = clock;
    this.verified = Caffeine.newBuilder().maximumSize(MAX_TOKENS).expireAfterWrite(MAX_AGE).build();
  }

  /** The token as it verified before, unless it has expired since (or was never seen). */
  Optional<VerifiedAccessToken> known(String token) {
    ByteBuffer key = digest(token);
    VerifiedAccessToken known = verified.getIfPresent(key);
    if (known == null) {
      return Optional.empty();
    }
    if (!clock.instant().isBefore(known.expiresAt())) {
      verified.invalidate(key);
      return Optional.empty();
    }
    return Optional.of(known);
  }

  /** Keeps a token that has just verified; returns it. */
  VerifiedAccessToken remember(String token, VerifiedAccessToken verifiedToken) {
    verified.put(digest(token), verifiedToken);
    return verifiedToken;
  }

  /** The cache around a verification: only a success is remembered. */
  VerifiedAccessToken verify(String token, Supplier<VerifiedAccessToken> verification) {
    return known(token).orElseGet(() -> remember(token, verification.get()));
  }

  private static ByteBuffer digest(String token) {
    return ByteBuffer.wrap(sha256().digest(token.getBytes(StandardCharsets.US_ASCII)));
  }

  private static MessageDigest sha256() {
    try {
      return (MessageDigest) SHA_256.clone();
    } catch (CloneNotSupportedException e) {
      return newSha256();
    }
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
  }
}
