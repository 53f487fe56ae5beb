package dev.userfabric.domain.model;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An administrator undid a link: the identity no longer resolves to the user, and its next login
 * creates a user of its own. Carries the user's whole new state.
 */
public record IdentityUnlinked(UUID eventId, Instant occurredAt, User user, Identity identity) implements UserStateEvent {

  public IdentityUnlinked {
    Objects.requireNonNull(eventId, "eventId must not be null");
    Objects.requireNonNull(occurredAt, "occurredAt must not be null");
    Objects.requireNonNull(user, "user must not be null");
    Objects.requireNonNull(identity, "identity must not be null");
    if (user.hasIdentity(identity)) {
      throw new IllegalArgumentException("the user's new state must not hold the unlinked identity");
    }
  }

  @Override
  public Revision revision() {
    return new Revision(user.version(), Revision.Kind.UPDATED, eventId);
  }
}
