package dev.userfabric.adapter.cache;

import dev.userfabric.domain.model.UserId;

/** Where users live in Redis: one hash per user under a configurable prefix. */
record CacheKeys(String prefix) {

  CacheKeys {
    if (prefix == null || prefix.isBlank()) {
      throw new IllegalArgumentException("key prefix must not be blank");
    }
  }

  String user(UserId id) {
    return prefix + "user:" + id;
  }
}
