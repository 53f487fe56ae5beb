package dev.userfabric.domain.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A user of the fabric: an identity, the profile its provider gave us, when we created it, and
 * the revision of that state.
 *
 * @param updatedAt when the profile was last fetched from the provider (the creation time until
 *     the first refresh)
 * @param version grows with every change of this user (see {@link UserVersion}); the event
 *     driver keeps the newest
 */
public record User(UserId id, Identity identity, UserProfile profile, Instant createdAt, Instant updatedAt,
    long version) {

  public User {
    Objects.requireNonNull(id, "id must not be null");
    Objects.requireNonNull(identity, "identity must not be null");
    Objects.requireNonNull(profile, "profile must not be null");
    Objects.requireNonNull(createdAt, "createdAt must not be null");
    Objects.requireNonNull(updatedAt, "updatedAt must not be null");
    if (!id.equals(UserId.of(identity))) {
      throw new IllegalArgumentException("id must be derived from the identity");
    }
    if (version < 1) {
      throw new IllegalArgumentException("version must be positive");
    }
  }

  /**
   * A user as written before versions existed: its version is its creation time, which is what a
   * version drawn at creation would have been.
   */
  public User(UserId id, Identity identity, UserProfile profile, Instant createdAt) {
    this(id, identity, profile, createdAt, createdAt, UserVersion.of(createdAt));
  }

  /** A new user for this identity; its id is derived from the identity. */
  public static User create(Identity identity, UserProfile profile, Instant createdAt) {
    return new User(UserId.of(identity), identity, profile, createdAt);
  }

  /** A new user whose version must follow an earlier one (an erased user coming back). */
  public static User create(Identity identity, UserProfile profile, Instant createdAt, long version) {
    return new User(UserId.of(identity), identity, profile, createdAt, createdAt, version);
  }

  /** This user with a newly fetched profile, as a new version. */
  public User withProfile(UserProfile newProfile, Instant fetchedAt, long newVersion) {
    if (newVersion <= version) {
      throw new IllegalArgumentException("a new version must be greater than " + version);
    }
    return new User(id, identity, newProfile, createdAt, fetchedAt, newVersion);
  }
}
