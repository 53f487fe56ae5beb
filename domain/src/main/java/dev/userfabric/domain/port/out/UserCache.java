package dev.userfabric.domain.port.out;

import dev.userfabric.domain.model.CacheUnavailable;
import dev.userfabric.domain.model.CorruptUserRecord;
import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserId;
import java.util.Optional;

/**
 * Where created users are kept. Failures are {@link CacheUnavailable} (retrying may help); a
 * stored entry that can no longer be read is {@link CorruptUserRecord}, never silently "absent".
 */
public interface UserCache {

  Optional<User> find(UserId id);

  /**
   * Stores the user unless one with its id is stored; atomic, so concurrent inserts of one user
   * leave exactly one entry and the first one wins.
   *
   * @return true if this call stored the user
   */
  boolean insertIfAbsent(User user);
}
