package dev.userfabric.domain.service;

import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserCreated;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.model.UserProfile;
import dev.userfabric.domain.model.VerifiedAccessToken;
import dev.userfabric.domain.port.in.CreateUserCommand;
import dev.userfabric.domain.port.in.CreateUserResult;
import dev.userfabric.domain.port.in.CreateUserUseCase;
import dev.userfabric.domain.port.out.UserCache;
import dev.userfabric.domain.port.out.UserEventPublisher;
import dev.userfabric.domain.port.out.UserProfileProvider;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The RPC flow of 000-user-creation-flows: check the token, return the cached user if known, else
 * fetch the profile and publish UserCreated. It never writes the cache; the event driver does.
 */
public final class CreateUserService implements CreateUserUseCase {

  private final AccessControl accessControl;
  private final UserCache userCache;
  private final UserProfileProvider userProfileProvider;
  private final UserEventPublisher userEventPublisher;
  private final InstantSource clock;
  private final Supplier<UUID> eventIds;

  public CreateUserService(
      AccessControl accessControl,
      UserCache userCache,
      UserProfileProvider userProfileProvider,
      UserEventPublisher userEventPublisher,
      InstantSource clock,
      Supplier<UUID> eventIds) {
    this.accessControl = Objects.requireNonNull(accessControl);
    this.userCache = Objects.requireNonNull(userCache);
    this.userProfileProvider = Objects.requireNonNull(userProfileProvider);
    this.userEventPublisher = Objects.requireNonNull(userEventPublisher);
    this.clock = Objects.requireNonNull(clock);
    this.eventIds = Objects.requireNonNull(eventIds);
  }

  @Override
  public CreateUserResult createUser(CreateUserCommand command) {
    VerifiedAccessToken token = accessControl.forUser(command.accessToken());
    Identity identity = token.identity();

    Optional<User> known = userCache.find(UserId.of(identity));
    if (known.isPresent()) {
      return CreateUserResult.existing(known.get());
    }

    UserProfile profile = userProfileProvider.fetchProfile(command.accessToken(), token);

    User user = User.create(identity, profile, clock.instant());
    userEventPublisher.publish(new UserCreated(eventIds.get(), user.createdAt(), user));
    return CreateUserResult.created(user);
  }
}
