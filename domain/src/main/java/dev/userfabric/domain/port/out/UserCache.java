package dev.userfabric.domain.port.out;

import dev.userfabric.domain.model.CacheUnavailable;
import dev.userfabric.domain.model.CorruptUserRecord;
import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserEvent;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.model.UserRecord;
import java.util.Optional;

/**
 * Where users are kept. Failures are {@link CacheUnavailable} (retrying may help); a stored entry
 * that can no longer be read is {@link CorruptUserRecord}, never silently "absent".
 */
public interface UserCache {

  /** The user, the tombstone of an erased one, or nothing. */
  UserRecord read(UserId id);

  /** The stored user; an erased user is not found. */
  default Optional<User> find(UserId id) {
    return read(id).activeUser();
  }

  /**
   * Applies the event if its revision is newer than the stored one's, atomically: concurrent and
   * repeated applications of any set of events, in any order, leave the newest state. A
   * {@link dev.userfabric.domain.model.UserDeleted} leaves a tombstone with its revision.
   *
   * @return true if the event changed what is stored, false if something as new or newer was
   *     stored already
   */
  boolean apply(UserEvent event);

  /**
   * Stored users in ascending order of id, after the query's cursor. The order never changes, so
   * a listing that pages on while users are written returns every user that existed throughout
   * exactly once.
   */
  UserPage list(UserQuery query);
}
