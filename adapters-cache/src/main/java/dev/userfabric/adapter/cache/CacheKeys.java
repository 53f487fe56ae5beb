package dev.userfabric.adapter.cache;

import dev.userfabric.domain.model.UserId;

/** Every key we write in Redis, all under a configurable prefix. */
record CacheKeys(String prefix) {

  CacheKeys {
    if (prefix == null || prefix.isBlank()) {
      throw new IllegalArgumentException("key prefix must not be blank");
    }
  }

  String user(UserId id) {
    return prefix + "user:" + id;
  }

  /** A revoked token, named by a digest of its issuer and id (jti is unique per issuer only). */
  String revokedToken(String tokenDigest) {
    return prefix + "revoked:token:" + tokenDigest;
  }

  /** The instant before which every token of the user is revoked. */
  String revocationCutoff(UserId id) {
    return prefix + "revoked:user:" + id;
  }
}
