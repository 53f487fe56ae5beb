package dev.userfabric.adapter.cache;

import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach Redis.
 *
 * @param uri a Redis URI, e.g. {@code redis://127.0.0.1:6379/0}
 * @param keyPrefix prepended to every key, so deployments (and test runs) sharing a server do not
 *     meet
 * @param commandTimeout how long one command may take; keep it below the callers' deadlines
 * @param requestQueueSize commands that may wait for the connection before new ones are refused
 */
public record RedisCacheSettings(
    String uri, String keyPrefix, Duration commandTimeout, int requestQueueSize) {

  public RedisCacheSettings {
    Objects.requireNonNull(uri, "uri must not be null");
    requireRedisUri(uri);
    Objects.requireNonNull(keyPrefix, "keyPrefix must not be null");
    Objects.requireNonNull(commandTimeout, "commandTimeout must not be null");
    if (commandTimeout.isNegative() || commandTimeout.isZero()) {
      throw new IllegalArgumentException("commandTimeout must be positive");
    }
    if (requestQueueSize < 1) {
      throw new IllegalArgumentException("requestQueueSize must be at least 1");
    }
  }

  /**
   * Throws IllegalArgumentException, saying why, unless {@code uri} is a Redis URI with a host, or
   * names a cluster's seed nodes ({@code redis-cluster://h1:p1,h2:p2}, see RedisClusterUris).
   */
  public static void requireRedisUri(String uri) {
    try {
      if (RedisClusterUris.seeds(uri).isPresent()) {
        return; // each seed was parsed as a Redis URI
      }
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a Redis Cluster URI: " + e.getMessage(), e);
    }
    RedisURI parsed;
    try {
      parsed = RedisURI.create(uri);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a Redis URI: " + e.getMessage(), e);
    }
    boolean sentinel = !parsed.getSentinels().isEmpty();
    if (!sentinel && (parsed.getHost() == null || parsed.getHost().isBlank())) {
      throw new IllegalArgumentException("a Redis URI names a host");
    }
  }

  public static RedisCacheSettings of(String uri, String keyPrefix) {
    return new RedisCacheSettings(uri, keyPrefix, Duration.ofSeconds(1), 1024);
  }
}
