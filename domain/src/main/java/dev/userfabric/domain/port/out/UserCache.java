package dev.userfabric.domain.port.out;

import dev.userfabric.domain.model.CacheUnavailable;
import dev.userfabric.domain.model.CorruptUserRecord;
import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserEvent;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.model.UserRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where users are kept. Failures are {@link CacheUnavailable} (retrying may help); a stored entry
 * that can no longer be read is {@link CorruptUserRecord}, never silently "absent".
 */
public interface UserCache {

  /** The user, the tombstone of an erased one, or nothing. */
  UserRecord read(UserId id);

  /**
   * What {@link #read} gives, asked for now and awaited by {@link Supplier#get} (which throws what
   * read would): a use case with another question in flight meanwhile asks both before waiting
   * for either. A store that can send the read at once does, and one never awaited is simply
   * dropped; by default nothing is read until the answer is asked for.
   */
  default Supplier<UserRecord> readAhead(UserId id) {
    return () -> read(id);
  }

  /**
   * What an identity's id leads to: the user stored under it, or, for an identity linked to
   * another user, that user. An identity whose link leads nowhere (the user was erased) is given
   * as its link, whose version a new user of its own must exceed. Costs a second read only for a
   * linked identity.
   */
  default UserRecord resolve(UserId id) {
    return resolve(id, read(id));
  }

  /** As {@link #resolve(UserId)}, given the record stored under the id, read already. */
  default UserRecord resolve(UserId id, UserRecord record) {
    if (record instanceof UserRecord.Linked link) {
      UserRecord target = read(link.target());
      // A user that no longer lists the identity (unlinked a moment ago) is not its user.
      boolean joined = target instanceof UserRecord.Active active
          && active.user().linkedIdentities().stream().anyMatch(identity -> UserId.of(identity).equals(id));
      return joined ? target : record;
    }
    return record;
  }

  /** The stored user; an erased user is not found. */
  default Optional<User> find(UserId id) {
    return read(id).activeUser();
  }

  /**
   * Applies the event if its revision is newer than the stored one's, atomically: concurrent and
   * repeated applications of any set of events, in any order, leave the newest state. A
   * {@link dev.userfabric.domain.model.UserDeleted} leaves a tombstone with its revision. A
   * (un)linking also writes the identity's own record ({@link UserRecord#ofIdentity}), with the
   * same revision check.
   *
   * @return true if the event changed what is stored, false if something as new or newer was
   *     stored already
   */
  boolean apply(UserEvent event);

  /**
   * Applies each event as {@link #apply} does; a store that can do it in one round trip does. The
   * answer at each position is that event's. A failure may leave some applied and others not:
   * applying them all again is safe, as each application is.
   */
  default List<Boolean> applyAll(List<UserEvent> events) {
    List<Boolean> applied = new ArrayList<>(events.size());
    for (UserEvent event : events) {
      applied.add(apply(event));
    }
    return applied;
  }

  /**
   * Stored users in ascending order of id, after the query's cursor. The order never changes, so
   * a listing that pages on while users are written returns every user that existed throughout
   * exactly once.
   */
  UserPage list(UserQuery query);
}
