package dev.userfabric.domain.service;

import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.model.IdentityUnlinked;
import dev.userfabric.domain.model.InvalidUserData;
import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.model.UserNotFound;
import dev.userfabric.domain.model.UserVersion;
import dev.userfabric.domain.port.in.UnlinkIdentityCommand;
import dev.userfabric.domain.port.in.UnlinkIdentityUseCase;
import dev.userfabric.domain.port.out.UserCache;
import dev.userfabric.domain.port.out.UserEventPublisher;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * An administrator detaches a linked identity: check the admin scope, find the user and the
 * identity on it, publish IdentityUnlinked. The identity's next login makes a user of its own
 * (never the same link again: its id now holds a tombstone).
 */
public final class UnlinkIdentityService implements UnlinkIdentityUseCase {

  private final AccessControl accessControl;
  private final UserCache userCache;
  private final UserEventPublisher userEventPublisher;
  private final InstantSource clock;
  private final Supplier<UUID> eventIds;

  public UnlinkIdentityService(AccessControl accessControl, UserCache userCache, UserEventPublisher userEventPublisher,
      InstantSource clock, Supplier<UUID> eventIds) {
    this.accessControl = Objects.requireNonNull(accessControl);
    this.userCache = Objects.requireNonNull(userCache);
    this.userEventPublisher = Objects.requireNonNull(userEventPublisher);
    this.clock = Objects.requireNonNull(clock);
    this.eventIds = Objects.requireNonNull(eventIds);
  }

  @Override
  public User unlinkIdentity(UnlinkIdentityCommand command) {
    accessControl.forAdministrator(command.accessToken());
    UserId id;
    Identity identity;
    try {
      id = UserId.parse(command.userId());
      identity = new Identity(command.issuer(), command.subject());
    } catch (IllegalArgumentException e) {
      throw new InvalidUserData("user_id must be a user id, issuer and subject an identity: " + e.getMessage());
    }

    User user = userCache.find(id).orElseThrow(() -> new UserNotFound("user " + id + " is not stored"));
    if (user.identity().equals(identity)) {
      throw new InvalidUserData("a user's first identity is what its id is made of; it cannot be unlinked");
    }
    if (!user.linkedIdentities().contains(identity)) {
      throw new InvalidUserData("the identity is not linked to user " + id);
    }

    Instant now = clock.instant();
    User unlinked = user.withoutLinked(identity, UserVersion.after(user.version(), now));
    userEventPublisher.publish(new IdentityUnlinked(eventIds.get(), now, unlinked, identity));
    return unlinked;
  }
}
