package dev.userfabric.domain.model;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Published when a user is erased. It names the user and nothing personal about them, so it may
 * be kept (and replayed) long after the profile is gone.
 */
public record UserDeleted(UUID eventId, Instant occurredAt, Identity identity, long version)
    implements UserEvent {

  public UserDeleted {
    Objects.requireNonNull(eventId, "eventId must not be null");
    Objects.requireNonNull(occurredAt, "occurredAt must not be null");
    Objects.requireNonNull(identity, "identity must not be null");
    if (version < 1) {
      throw new IllegalArgumentException("version must be positive");
    }
  }

  @Override
  public UserId userId() {
    return UserId.of(identity);
  }

  @Override
  public Revision revision() {
    return new Revision(version, Revision.Kind.DELETED, eventId);
  }
}
