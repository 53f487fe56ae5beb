package dev.userfabric.adapter.cache;

import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.port.out.UserCache;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The embedded stand-in for Redis: users in this process's memory, lost on exit. For running the
 * service with nothing installed, not for production.
 */
public final class InProcessUserCache implements UserCache {

  private final ConcurrentMap<UserId, User> users = new ConcurrentHashMap<>();

  @Override
  public Optional<User> find(UserId id) {
    return Optional.ofNullable(users.get(id));
  }

  @Override
  public boolean insertIfAbsent(User user) {
    return users.putIfAbsent(user.id(), user) == null;
  }
}
