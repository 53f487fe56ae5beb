package dev.userfabric.adapter.cache;

import dev.userfabric.domain.model.UserId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every key we write in Redis, all under a configurable prefix. Users are spread over
 * {@link #SHARDS} shards by the first two hex digits of their id, so each shard is a range of ids
 * and the shards in order list the users in id order; a user's record and the index entries that
 * list it share the shard's hash tag ({@code {u3f}}), so that one script may change them together,
 * and on a Redis Cluster they live in one hash slot while the shards spread over the nodes. No key
 * holds every user.
 */
record CacheKeys(String prefix) {

  static final int SHARDS = 256;

  CacheKeys {
    if (prefix == null || prefix.isBlank()) {
      throw new IllegalArgumentException("key prefix must not be blank");
    }
  }

  String user(UserId id) {
    return prefix + tag(shardOf(id)) + "user:" + id;
  }

  /** The ids of the shard's stored users (a sorted set, in id order). */
  String userIndex(int shard) {
    return prefix + tag(shard) + "users";
  }

  /** The ids of the shard's stored users of one issuer. */
  String issuerIndex(int shard, String issuer) {
    return prefix + tag(shard) + "users:iss:" + digest(issuer);
  }

  static int shardOf(UserId id) {
    return Integer.parseInt(id.toString().substring(0, 2), 16);
  }

  /**
   * The stored users of a link group listed under one verified email (a set), and the pending
   * claim of a first login on it: both named by a digest of the group and the email (no address
   * in a key name), and under one hash tag so that one script reads and writes both.
   */
  String linkOwners(String group, String email) {
    return prefix + "{e" + linkDigest(group, email) + "}link:owners";
  }

  String linkClaim(String group, String email) {
    return prefix + "{e" + linkDigest(group, email) + "}link:claim";
  }

  private static String linkDigest(String group, String email) {
    return sha256Prefix(group + '\0' + email);
  }

  /** A revoked token, named by a digest of its issuer and id (jti is unique per issuer only). */
  String revokedToken(String tokenDigest) {
    return prefix + "revoked:token:" + tokenDigest;
  }

  /** The instant before which every token of the user is revoked. */
  String revocationCutoff(UserId id) {
    return prefix + "revoked:user:" + id;
  }

  private static String tag(int shard) {
    return TAGS[shard];
  }

  private static final String[] TAGS = new String[SHARDS];

  static {
    for (int shard = 0; shard < SHARDS; shard++) {
      TAGS[shard] = "{u" + HexFormat.of().toHexDigits((byte) shard) + "}";
    }
  }

  // Every event names its issuer; there are a handful of them.
  private static final Map<String, String> ISSUER_DIGESTS = new ConcurrentHashMap<>();

  private static String digest(String issuer) {
    String known = ISSUER_DIGESTS.get(issuer);
    if (known != null) {
      return known;
    }
    String digest = sha256Prefix(issuer);
    if (ISSUER_DIGESTS.size() < 1024) {
      ISSUER_DIGESTS.put(issuer, digest);
    }
    return digest;
  }

  private static String sha256Prefix(String issuer) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(issuer.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
