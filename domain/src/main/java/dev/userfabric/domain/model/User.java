package dev.userfabric.domain.model;

import java.time.Instant;
import java.util.Objects;

/** A user of the fabric: an identity, the profile its provider gave us, and when we created it. */
public record User(UserId id, Identity identity, UserProfile profile, Instant createdAt) {

  public User {
    Objects.requireNonNull(id, "id must not be null");
    Objects.requireNonNull(identity, "identity must not be null");
    Objects.requireNonNull(profile, "profile must not be null");
    Objects.requireNonNull(createdAt, "createdAt must not be null");
    if (!id.equals(UserId.of(identity))) {
      throw new IllegalArgumentException("id must be derived from the identity");
    }
  }

  /** A new user for this identity; its id is derived from the identity. */
  public static User create(Identity identity, UserProfile profile, Instant createdAt) {
    return new User(UserId.of(identity), identity, profile, createdAt);
  }
}
