package dev.userfabric.domain.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the store holds for one user id: the user, the tombstone an erasure left (kept for a
 * while, so that an older event delivered late cannot bring the user back), a link to the user an
 * identity was joined to, or nothing; each with the revision of the event that put it there.
 */
public sealed interface UserRecord {

  UserRecord MISSING = new Missing();

  /** The stored version, 0 when nothing is stored: any change must be newer. */
  long version();

  /** Whether an event of this revision would replace what is stored. */
  boolean isOlderThan(Revision revision);

  /** The stored user; empty when erased or missing. */
  default Optional<User> activeUser() {
    return Optional.empty();
  }

  /** What the store holds once it applied {@code event}: the record it leaves. */
  static UserRecord of(UserEvent event) {
    return switch (event) {
      case UserCreated created -> new Active(created.user(), created.revision());
      case UserUpdated updated -> new Active(updated.user(), updated.revision());
      case UserDeleted deleted -> new Erased(deleted.userId(), deleted.revision(), deleted.occurredAt());
      case IdentityLinked linked -> new Active(linked.user(), linked.revision());
      case IdentityUnlinked unlinked -> new Active(unlinked.user(), unlinked.revision());
    };
  }

  /**
   * The record a (un)linking leaves under the identity's own id, besides the user's: a link for a
   * linked identity, a tombstone for an unlinked one (so that a late link event cannot come back).
   * Other events leave none.
   */
  static Optional<UserRecord> ofIdentity(UserEvent event) {
    return switch (event) {
      case IdentityLinked linked ->
          Optional.of(new Linked(UserId.of(linked.identity()), linked.userId(), linked.revision()));
      case IdentityUnlinked unlinked ->
          Optional.of(new Erased(UserId.of(unlinked.identity()), unlinked.revision(), unlinked.occurredAt()));
      default -> Optional.empty();
    };
  }

  /** The identity record's revision check, as {@link #after} is the user record's. */
  default Optional<UserRecord> afterIdentity(UserEvent event) {
    return ofIdentity(event).filter(record -> isOlderThan(event.revision()));
  }

  /** The record after {@code event}: its own if it is newer, else empty (nothing changes). */
  default Optional<UserRecord> after(UserEvent event) {
    return isOlderThan(event.revision()) ? Optional.of(of(event)) : Optional.empty();
  }

  record Active(User user, Revision revision) implements UserRecord {
    public Active {
      Objects.requireNonNull(user, "user must not be null");
      Objects.requireNonNull(revision, "revision must not be null");
    }

    @Override
    public long version() {
      return user.version();
    }

    @Override
    public boolean isOlderThan(Revision other) {
      return other.isNewerThan(revision);
    }

    @Override
    public Optional<User> activeUser() {
      return Optional.of(user);
    }
  }

  record Erased(UserId id, Revision revision, Instant deletedAt) implements UserRecord {
    public Erased {
      Objects.requireNonNull(id, "id must not be null");
      Objects.requireNonNull(revision, "revision must not be null");
      Objects.requireNonNull(deletedAt, "deletedAt must not be null");
    }

    @Override
    public long version() {
      return revision.version();
    }

    @Override
    public boolean isOlderThan(Revision other) {
      return other.isNewerThan(revision);
    }
  }

  /**
   * The id of an identity that was linked to another user: reading it leads to {@code target}.
   *
   * @param id the identity's own id (derived from it, as every id is)
   */
  record Linked(UserId id, UserId target, Revision revision) implements UserRecord {
    public Linked {
      Objects.requireNonNull(id, "id must not be null");
      Objects.requireNonNull(target, "target must not be null");
      Objects.requireNonNull(revision, "revision must not be null");
      if (id.equals(target)) {
        throw new IllegalArgumentException("an identity cannot be linked to its own id");
      }
    }

    @Override
    public long version() {
      return revision.version();
    }

    @Override
    public boolean isOlderThan(Revision other) {
      return other.isNewerThan(revision);
    }
  }

  record Missing() implements UserRecord {
    @Override
    public long version() {
      return 0;
    }

    @Override
    public boolean isOlderThan(Revision revision) {
      return true;
    }
  }
}
