package dev.userfabric.domain.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Published when a user's profile at the provider changed: the whole new state, and the names of
 * the claims that changed (OIDC claim names, e.g. {@code email}, {@code given_name}).
 */
public record UserUpdated(UUID eventId, Instant occurredAt, User user, Set<String> changedFields)
    implements UserStateEvent {

  public UserUpdated {
    Objects.requireNonNull(eventId, "eventId must not be null");
    Objects.requireNonNull(occurredAt, "occurredAt must not be null");
    Objects.requireNonNull(user, "user must not be null");
    changedFields = Set.copyOf(changedFields);
  }

  @Override
  public Revision revision() {
    return new Revision(user.version(), Revision.Kind.UPDATED, eventId);
  }
}
