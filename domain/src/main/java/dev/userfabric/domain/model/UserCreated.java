package dev.userfabric.domain.model;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Published when CreateUser meets a user it has not stored (or one that was erased). Delivered at
 * least once, so consumers must tolerate the same event, or two events for one user id, more than
 * once.
 */
public record UserCreated(UUID eventId, Instant occurredAt, User user) implements UserStateEvent {

  public UserCreated {
    Objects.requireNonNull(eventId, "eventId must not be null");
    Objects.requireNonNull(occurredAt, "occurredAt must not be null");
    Objects.requireNonNull(user, "user must not be null");
  }

  @Override
  public Revision revision() {
    return new Revision(user.version(), Revision.Kind.CREATED, eventId);
  }
}
