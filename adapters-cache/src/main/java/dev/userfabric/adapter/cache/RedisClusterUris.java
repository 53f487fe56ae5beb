package dev.userfabric.adapter.cache;

import io.lettuce.core.RedisURI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How {@code userfabric.redis.uri} names a Redis Cluster: {@code redis-cluster://} (or
 * {@code rediss-cluster://} for TLS) and one or more seed nodes separated by commas, with the
 * credentials and options of a {@code redis://} URI, e.g.
 * {@code redis-cluster://:secret@10.0.0.1:6379,10.0.0.2:6379,10.0.0.3:6379}. The seeds only
 * introduce the client to the cluster: it learns every node, master and replica, from them.
 */
final class RedisClusterUris {

  static final String SCHEME = "redis-cluster://";
  static final String TLS_SCHEME = "rediss-cluster://";

  private RedisClusterUris() {}

  /** @return the seed nodes, or empty for a URI of a single server */
  static Optional<List<RedisURI>> seeds(String uri) {
    boolean tls = uri.startsWith(TLS_SCHEME);
    if (!tls && !uri.startsWith(SCHEME)) {
      return Optional.empty();
    }
    String rest = uri.substring((tls ? TLS_SCHEME : SCHEME).length());
    int at = rest.lastIndexOf('@');
    String credentials = at < 0 ? "" : rest.substring(0, at + 1);
    String afterCredentials = rest.substring(at + 1);
    int pathOrQuery = indexOfAny(afterCredentials, '/', '?');
    String hosts = pathOrQuery < 0 ? afterCredentials : afterCredentials.substring(0, pathOrQuery);
    String tail = pathOrQuery < 0 ? "" : afterCredentials.substring(pathOrQuery);
    String database = tail.startsWith("/") ? tail.substring(1).split("\\?", 2)[0] : "";
    if (!database.isEmpty() && !database.equals("0")) {
      throw new IllegalArgumentException("a Redis Cluster has only database 0: " + redacted(uri));
    }
    List<RedisURI> seeds = new ArrayList<>();
    for (String host : hosts.split(",")) {
      if (host.isBlank()) {
        throw new IllegalArgumentException("empty seed node in " + redacted(uri));
      }
      seeds.add(RedisURI.create((tls ? "rediss://" : "redis://") + credentials + host.strip() + tail));
    }
    return Optional.of(List.copyOf(seeds));
  }

  private static String redacted(String uri) {
    return uri.replaceAll("//[^@/]*@", "//***@");
  }

  private static int indexOfAny(String text, char first, char second) {
    int a = text.indexOf(first);
    int b = text.indexOf(second);
    return a < 0 ? b : b < 0 ? a : Math.min(a, b);
  }
}
