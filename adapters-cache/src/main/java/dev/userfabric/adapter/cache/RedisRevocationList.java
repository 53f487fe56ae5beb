package dev.userfabric.adapter.cache;

import dev.userfabric.domain.model.RevocationListUnavailable;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.model.VerifiedAccessToken;
import dev.userfabric.domain.port.out.RevocationList;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/**
 * The revocation list in Redis, so every replica sees a revocation at once. A revoked token is a
 * key that expires with the token (plus the longest clock skew); "revoke all of a user's tokens"
 * is a cutoff instant per user that expires when every token issued before it has.
 */
public final class RedisRevocationList implements RevocationList, AutoCloseable {

  /** Tokens stay acceptable this long past exp (the largest skew allowed), so entries do too. */
  static final Duration SKEW_MARGIN = Duration.ofMinutes(5);

  // Only ever moves the cutoff later: an earlier "revoke all" must not undo a later one.
  private static final String RAISE_CUTOFF = """
      local current = tonumber(redis.call('GET', KEYS[1]) or '0')
      if tonumber(ARGV[1]) > current then
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
      else
        redis.call('PEXPIRE', KEYS[1], ARGV[2], 'GT')
      end
      return 1
      """;

  private final RedisConnector connector;
  private final boolean ownsConnector;
  private final CacheKeys keys;
  private final Duration cutoffRetention;

  /**
   * @param maxTokenLifetime the longest lifetime any trusted issuer's tokens may have: a user's
   *     cutoff is kept that long, after which every token it stops has expired anyway
   */
  public RedisRevocationList(RedisCacheSettings settings, Duration maxTokenLifetime) {
    this(new RedisConnector(settings), settings.keyPrefix(), maxTokenLifetime, true);
  }

  /** On a connection shared with the other Redis adapters; closing this leaves it open. */
  public RedisRevocationList(RedisConnector connector, String keyPrefix, Duration maxTokenLifetime) {
    this(connector, keyPrefix, maxTokenLifetime, false);
  }

  private RedisRevocationList(RedisConnector connector, String keyPrefix, Duration maxTokenLifetime,
      boolean ownsConnector) {
    this.connector = connector;
    this.ownsConnector = ownsConnector;
    this.keys = new CacheKeys(keyPrefix);
    this.cutoffRetention = maxTokenLifetime.plus(SKEW_MARGIN);
  }

  @Override
  public boolean isRevoked(VerifiedAccessToken token) {
    List<KeyValue<String, String>> found = call("read",
        commands -> commands.mget(tokenKey(token), userKey(token.userId())));
    if (found.get(0).hasValue()) {
      return true;
    }
    if (!found.get(1).hasValue()) {
      return false;
    }
    try {
      return token.issuedAt().toEpochMilli() < Long.parseLong(found.get(1).getValue());
    } catch (NumberFormatException e) {
      throw new RevocationListUnavailable("a revocation cutoff cannot be read", e);
    }
  }

  @Override
  public void revoke(VerifiedAccessToken token) {
    Instant keepUntil = token.expiresAt().plus(SKEW_MARGIN);
    if (!keepUntil.isAfter(Instant.now())) {
      return; // no verifier would accept it any more
    }
    // A revocation lost in a failover would let the token back in: on a replica before it counts.
    String key = tokenKey(token);
    written(key, commands -> commands.set(key, "1", SetArgs.Builder.pxAt(keepUntil.toEpochMilli())));
  }

  @Override
  public void revokeIssuedBefore(UserId user, Instant cutoff) {
    String key = userKey(user);
    written(key, commands -> commands.eval(RAISE_CUTOFF, ScriptOutputType.INTEGER,
        new String[] {key},
        Long.toString(cutoff.toEpochMilli()), Long.toString(cutoffRetention.toMillis())));
  }

  @Override
  public void close() {
    if (ownsConnector) {
      connector.close();
    }
  }

  /** jti is unique per issuer only, and is the issuer's text: key by a digest of both. */
  private String tokenKey(VerifiedAccessToken token) {
    return keys.revokedToken(sha256(token.identity().issuer() + "\0" + token.tokenId()));
  }

  private String userKey(UserId user) {
    return keys.revocationCutoff(user);
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Whether Redis can be reached now (for health reporting). */
  public boolean isConnected() {
    return connector.isConnected();
  }

  private <T> T written(String key, Function<RedisClusterAsyncCommands<String, String>, RedisFuture<T>> command) {
    return connector.callReplicated(key, command, e -> new RevocationListUnavailable("redis write of the revocation list failed", e));
  }

  private <T> T call(String what, Function<RedisClusterAsyncCommands<String, String>, RedisFuture<T>> command) {
    return connector.call(command, e -> new RevocationListUnavailable("redis " + what + " of the revocation list failed", e));
  }
}
