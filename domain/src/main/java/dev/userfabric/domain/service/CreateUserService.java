package dev.userfabric.domain.service;

import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserCreated;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.model.UserProfile;
import dev.userfabric.domain.model.UserRecord;
import dev.userfabric.domain.model.UserVersion;
import dev.userfabric.domain.model.VerifiedAccessToken;
import dev.userfabric.domain.port.in.CreateUserCommand;
import dev.userfabric.domain.port.in.CreateUserResult;
import dev.userfabric.domain.port.in.CreateUserUseCase;
import dev.userfabric.domain.port.out.UserCache;
import dev.userfabric.domain.port.out.UserEventPublisher;
import dev.userfabric.domain.port.out.UserProfileProvider;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The RPC flow of 000-user-creation-flows: check the token, return the cached user if known, else
 * fetch the profile and publish UserCreated. It never writes the cache; the event driver does.
 * With a profile max age, a known user whose profile is older is refreshed in the same call. The
 * provisioning policy is asked once the profile is known, before anything is published.
 */
public final class CreateUserService implements CreateUserUseCase {

  private final AccessControl accessControl;
  private final UserCache userCache;
  private final UserProfileProvider userProfileProvider;
  private final UserEventPublisher userEventPublisher;
  private final InstantSource clock;
  private final Supplier<UUID> eventIds;
  private final Optional<Duration> profileMaxAge;
  private final ProfileRefresh profileRefresh;
  private final ProvisioningGate provisioning;

  public CreateUserService(
      AccessControl accessControl,
      UserCache userCache,
      UserProfileProvider userProfileProvider,
      UserEventPublisher userEventPublisher,
      InstantSource clock,
      Supplier<UUID> eventIds) {
    this(accessControl, userCache, userProfileProvider, userEventPublisher, clock, eventIds, Optional.empty());
  }

  /** @param profileMaxAge refresh a known user's profile once it is older than this */
  public CreateUserService(
      AccessControl accessControl,
      UserCache userCache,
      UserProfileProvider userProfileProvider,
      UserEventPublisher userEventPublisher,
      InstantSource clock,
      Supplier<UUID> eventIds,
      Optional<Duration> profileMaxAge) {
    this(accessControl, userCache, userProfileProvider, userEventPublisher, clock, eventIds, profileMaxAge,
        ProvisioningGate.open());
  }

  /** @param provisioning who may become, and stay, a user */
  public CreateUserService(
      AccessControl accessControl,
      UserCache userCache,
      UserProfileProvider userProfileProvider,
      UserEventPublisher userEventPublisher,
      InstantSource clock,
      Supplier<UUID> eventIds,
      Optional<Duration> profileMaxAge,
      ProvisioningGate provisioning) {
    this.accessControl = Objects.requireNonNull(accessControl);
    this.userCache = Objects.requireNonNull(userCache);
    this.userProfileProvider = Objects.requireNonNull(userProfileProvider);
    this.userEventPublisher = Objects.requireNonNull(userEventPublisher);
    this.clock = Objects.requireNonNull(clock);
    this.eventIds = Objects.requireNonNull(eventIds);
    this.profileMaxAge = Objects.requireNonNull(profileMaxAge);
    this.profileRefresh = new ProfileRefresh(userProfileProvider, userEventPublisher, clock, eventIds);
    this.provisioning = Objects.requireNonNull(provisioning);
  }

  @Override
  public CreateUserResult createUser(CreateUserCommand command) {
    VerifiedAccessToken token = accessControl.forUser(command.accessToken());
    Identity identity = token.identity();

    UserRecord stored = userCache.read(UserId.of(identity));
    if (stored instanceof UserRecord.Active(User known, var revision)) {
      // A user the policy no longer admits (say, removed from a group at the provider) is refused too.
      provisioning.admit(token, known.profile(), true);
      if (isStale(known)) {
        return CreateUserResult.existing(profileRefresh.refresh(command.accessToken(), token, known).user());
      }
      return CreateUserResult.existing(known);
    }

    UserProfile profile = userProfileProvider.fetchProfile(command.accessToken(), token);
    provisioning.admit(token, profile, false);

    // An erased user comes back as a newer version than its tombstone, or the store would keep
    // the erasure.
    Instant now = clock.instant();
    User user = User.create(identity, profile, now, UserVersion.after(stored.version(), now));
    userEventPublisher.publish(new UserCreated(eventIds.get(), user.createdAt(), user));
    return CreateUserResult.created(user);
  }

  private boolean isStale(User known) {
    return profileMaxAge.isPresent() && known.updatedAt().plus(profileMaxAge.get()).isBefore(clock.instant());
  }
}
