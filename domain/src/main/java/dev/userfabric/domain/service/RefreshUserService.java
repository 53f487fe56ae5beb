package dev.userfabric.domain.service;

import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserNotFound;
import dev.userfabric.domain.model.VerifiedAccessToken;
import dev.userfabric.domain.port.in.RefreshUserCommand;
import dev.userfabric.domain.port.in.RefreshUserResult;
import dev.userfabric.domain.port.in.RefreshUserUseCase;
import dev.userfabric.domain.port.out.UserCache;
import dev.userfabric.domain.port.out.UserEventPublisher;
import dev.userfabric.domain.port.out.UserProfileProvider;
import java.time.InstantSource;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Check the caller's token, find their stored user, fetch the profile again, and publish
 * UserUpdated only if it changed. The store is written by the event driver, as for creation.
 */
public final class RefreshUserService implements RefreshUserUseCase {

  private final AccessControl accessControl;
  private final UserCache userCache;
  private final ProfileRefresh profileRefresh;

  public RefreshUserService(AccessControl accessControl, UserCache userCache, UserProfileProvider profiles,
      UserEventPublisher publisher, InstantSource clock, Supplier<UUID> eventIds) {
    this.accessControl = Objects.requireNonNull(accessControl);
    this.userCache = Objects.requireNonNull(userCache);
    this.profileRefresh = new ProfileRefresh(profiles, publisher, clock, eventIds);
  }

  @Override
  public RefreshUserResult refreshUser(RefreshUserCommand command) {
    VerifiedAccessToken token = accessControl.forUser(command.accessToken());

    User stored = userCache.find(token.userId())
        .orElseThrow(() -> new UserNotFound("user " + token.userId() + " is not stored; CreateUser creates it"));

    return profileRefresh.refresh(command.accessToken(), token, stored);
  }
}
