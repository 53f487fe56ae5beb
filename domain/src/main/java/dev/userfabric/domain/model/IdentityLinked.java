package dev.userfabric.domain.model;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An identity of another issuer of the same link group now resolves to an existing user (its
 * first login had a verified email equal to the user's verified email). Carries the user's whole
 * new state, identities included, like any update.
 */
public record IdentityLinked(UUID eventId, Instant occurredAt, User user, Identity identity) implements UserStateEvent {

  public IdentityLinked {
    Objects.requireNonNull(eventId, "eventId must not be null");
    Objects.requireNonNull(occurredAt, "occurredAt must not be null");
    Objects.requireNonNull(user, "user must not be null");
    Objects.requireNonNull(identity, "identity must not be null");
    if (!user.linkedIdentities().contains(identity)) {
      throw new IllegalArgumentException("the user's new state must hold the linked identity");
    }
  }

  @Override
  public Revision revision() {
    return new Revision(user.version(), Revision.Kind.UPDATED, eventId);
  }
}
