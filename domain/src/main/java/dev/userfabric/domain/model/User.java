package dev.userfabric.domain.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * A user of the fabric: an identity, the profile its provider gave us, when we created it, and
 * the revision of that state. Its id is derived from its first identity, for good; identities of
 * other issuers that were linked to it later are {@link #linkedIdentities}.
 *
 * @param updatedAt when the profile was last fetched from the provider (the creation time until
 *     the first refresh)
 * @param version grows with every change of this user (see {@link UserVersion}); the event
 *     driver keeps the newest
 */
public record User(UserId id, Identity identity, UserProfile profile, Instant createdAt, Instant updatedAt,
    long version, List<Identity> linkedIdentities) {

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
    linkedIdentities = List.copyOf(linkedIdentities);
    // Every read of a user builds one: the usual user, with no links, costs no check at all.
    if (!linkedIdentities.isEmpty()
        && (linkedIdentities.contains(identity) || new HashSet<>(linkedIdentities).size() != linkedIdentities.size())) {
      throw new IllegalArgumentException("an identity is linked to a user once, and never its own");
    }
  }

  /** A user with no linked identities. */
  public User(UserId id, Identity identity, UserProfile profile, Instant createdAt, Instant updatedAt, long version) {
    this(id, identity, profile, createdAt, updatedAt, version, List.of());
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
    requireNewer(newVersion);
    return new User(id, identity, newProfile, createdAt, fetchedAt, newVersion, linkedIdentities);
  }

  /** Every identity that resolves to this user: its own first, then the linked ones in link order. */
  public List<Identity> identities() {
    List<Identity> all = new ArrayList<>(1 + linkedIdentities.size());
    all.add(identity);
    all.addAll(linkedIdentities);
    return all;
  }

  public boolean hasIdentity(Identity other) {
    return identity.equals(other) || linkedIdentities.contains(other);
  }

  /** This user with one more identity, as a new version. */
  public User withLinked(Identity linked, long newVersion) {
    requireNewer(newVersion);
    List<Identity> more = new ArrayList<>(linkedIdentities);
    more.add(linked);
    return new User(id, identity, profile, createdAt, updatedAt, newVersion, more);
  }

  /** This user without a linked identity, as a new version. */
  public User withoutLinked(Identity unlinked, long newVersion) {
    requireNewer(newVersion);
    if (!linkedIdentities.contains(unlinked)) {
      throw new IllegalArgumentException("the identity is not linked to this user");
    }
    List<Identity> fewer = new ArrayList<>(linkedIdentities);
    fewer.remove(unlinked);
    return new User(id, identity, profile, createdAt, updatedAt, newVersion, fewer);
  }

  private void requireNewer(long newVersion) {
    if (newVersion <= version) {
      throw new IllegalArgumentException("a new version must be greater than " + version);
    }
  }
}
