package dev.userfabric.domain.model;

import java.time.Instant;
import java.util.UUID;

/**
 * A change of one user, as published. Events are delivered at least once and in no particular
 * order; each carries the user's whole new state (or its erasure) and its {@link Revision}, so
 * applying only what is newer than the stored revision converges on the same state everywhere.
 */
public sealed interface UserEvent permits UserStateEvent, UserDeleted {

  UUID eventId();

  Instant occurredAt();

  UserId userId();

  long version();

  Revision revision();
}
