package dev.userfabric.domain.service;

import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserDeleted;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.model.UserNotFound;
import dev.userfabric.domain.model.UserVersion;
import dev.userfabric.domain.model.VerifiedAccessToken;
import dev.userfabric.domain.port.in.DeleteUserCommand;
import dev.userfabric.domain.port.in.DeleteUserResult;
import dev.userfabric.domain.port.in.DeleteUserUseCase;
import dev.userfabric.domain.port.out.RevocationList;
import dev.userfabric.domain.port.out.UserCache;
import dev.userfabric.domain.port.out.UserEventPublisher;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Check the caller may erase the user, find it, publish UserDeleted, then revoke every token of
 * the user issued until now. Publishing comes first: should it fail, the user keeps working
 * tokens to try again with; should the revocation fail after it, a retry publishes a newer
 * erasure, which changes nothing more.
 */
public final class DeleteUserService implements DeleteUserUseCase {

  private final AccessControl accessControl;
  private final UserCache userCache;
  private final UserEventPublisher publisher;
  private final RevocationList revocations;
  private final InstantSource clock;
  private final Supplier<UUID> eventIds;

  public DeleteUserService(AccessControl accessControl, UserCache userCache, UserEventPublisher publisher,
      RevocationList revocations, InstantSource clock, Supplier<UUID> eventIds) {
    this.accessControl = Objects.requireNonNull(accessControl);
    this.userCache = Objects.requireNonNull(userCache);
    this.publisher = Objects.requireNonNull(publisher);
    this.revocations = Objects.requireNonNull(revocations);
    this.clock = Objects.requireNonNull(clock);
    this.eventIds = Objects.requireNonNull(eventIds);
  }

  @Override
  public DeleteUserResult deleteUser(DeleteUserCommand command) {
    VerifiedAccessToken caller = accessControl.forCaller(command.accessToken());
    UserId id = accessControl.mayActOn(caller, command.userId(), accessControl.policy().adminScope());

    User user = userCache.find(id).orElseThrow(() -> new UserNotFound("user " + id + " is not stored"));

    Instant now = clock.instant();
    UserDeleted erased = new UserDeleted(eventIds.get(), now, user.identity(), UserVersion.after(user.version(), now));
    publisher.publish(erased);

    revocations.revokeIssuedBefore(id, now);
    // A linked identity's tokens name its own id: they are the erased user's too.
    user.linkedIdentities().forEach(linked -> revocations.revokeIssuedBefore(UserId.of(linked), now));
    return new DeleteUserResult(erased, now);
  }
}
