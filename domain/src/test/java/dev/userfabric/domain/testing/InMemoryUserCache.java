package dev.userfabric.domain.testing;

import dev.userfabric.domain.model.CacheUnavailable;
import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.port.out.UserCache;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A user cache in a map, for tests and for the embedded mode; can be taken down. */
public final class InMemoryUserCache extends Switch implements UserCache {

  private final Map<UserId, User> users = new ConcurrentHashMap<>();
  private final AtomicInteger reads = new AtomicInteger();
  private final AtomicInteger writes = new AtomicInteger();

  @Override
  public Optional<User> find(UserId id) {
    reads.incrementAndGet();
    failIfDown();
    return Optional.ofNullable(users.get(id));
  }

  @Override
  public boolean insertIfAbsent(User user) {
    writes.incrementAndGet(); // an attempt counts, even one the cache being down refuses
    failIfDown();
    return users.putIfAbsent(user.id(), user) == null;
  }

  /** Stores a user directly, as if an earlier event had. */
  public void preload(User user) {
    users.put(user.id(), user);
  }

  public int size() {
    return users.size();
  }

  public int reads() {
    return reads.get();
  }

  /** How many inserts were attempted, successful or not. */
  public int writes() {
    return writes.get();
  }

  private void failIfDown() {
    if (isDown()) {
      throw new CacheUnavailable("in-memory cache is down (test)");
    }
  }
}
