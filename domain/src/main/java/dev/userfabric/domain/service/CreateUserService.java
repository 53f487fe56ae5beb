package dev.userfabric.domain.service;

import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.model.IdentityLinked;
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
 * provisioning policy is asked once the profile is known, before anything is published. With
 * identity linking, a first login may join an existing user instead (IdentityLinked).
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
  private final IdentityLinker linker;

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
        ProvisioningGate.open(), IdentityLinker.off(userCache));
  }

  /**
   * @param provisioning who may become, and stay, a user
   * @param linker whether a first login joins an existing user of another issuer
   */
  public CreateUserService(
      AccessControl accessControl,
      UserCache userCache,
      UserProfileProvider userProfileProvider,
      UserEventPublisher userEventPublisher,
      InstantSource clock,
      Supplier<UUID> eventIds,
      Optional<Duration> profileMaxAge,
      ProvisioningGate provisioning,
      IdentityLinker linker) {
    this.accessControl = Objects.requireNonNull(accessControl);
    this.userCache = Objects.requireNonNull(userCache);
    this.userProfileProvider = Objects.requireNonNull(userProfileProvider);
    this.userEventPublisher = Objects.requireNonNull(userEventPublisher);
    this.clock = Objects.requireNonNull(clock);
    this.eventIds = Objects.requireNonNull(eventIds);
    this.profileMaxAge = Objects.requireNonNull(profileMaxAge);
    this.profileRefresh = new ProfileRefresh(userProfileProvider, userEventPublisher, clock, eventIds);
    this.provisioning = Objects.requireNonNull(provisioning);
    this.linker = Objects.requireNonNull(linker);
  }

  @Override
  public CreateUserResult createUser(CreateUserCommand command) {
    VerifiedAccessToken token = accessControl.forUserBeforeRevocation(command.accessToken());
    Identity identity = token.identity();
    UserId id = UserId.of(identity);

    // The record is asked for before the revocation check is awaited, and looked at only once the
    // token passed it: one round trip for both where the store and the list share a connection.
    Supplier<UserRecord> asked = userCache.readAhead(id);
    accessControl.requireNotRevoked(token);
    // A linked identity's id leads to the user it joined (a second read, for linked ones only).
    UserRecord stored = userCache.resolve(id, asked.get());
    if (stored instanceof UserRecord.Active(User known, var revision)) {
      // A user the policy no longer admits (say, removed from a group at the provider) is refused too.
      provisioning.admit(token, known.profile(), true);
      // The profile is the first identity's: another issuer's login does not overwrite it.
      if (isStale(known) && known.identity().equals(identity)) {
        return CreateUserResult.existing(profileRefresh.refresh(command.accessToken(), token, known).user());
      }
      return CreateUserResult.existing(known);
    }

    UserProfile profile = userProfileProvider.fetchProfile(command.accessToken(), token);
    provisioning.admit(token, profile, false);

    Instant now = clock.instant();
    // Only an identity never seen before may join another user: one that was erased or unlinked
    // (a tombstone) comes back as a user of its own.
    if (stored instanceof UserRecord.Missing) {
      Optional<User> joined = linker.userToJoin(identity, profile);
      if (joined.isPresent()) {
        User linked = joined.get().withLinked(identity, UserVersion.after(joined.get().version(), now));
        userEventPublisher.publish(new IdentityLinked(eventIds.get(), now, linked, identity));
        return CreateUserResult.linked(linked);
      }
    }

    // An erased user comes back as a newer version than its tombstone, or the store would keep
    // the erasure.
    User user = User.create(identity, profile, now, UserVersion.after(stored.version(), now));
    userEventPublisher.publish(new UserCreated(eventIds.get(), user.createdAt(), user));
    return CreateUserResult.created(user);
  }

  private boolean isStale(User known) {
    return profileMaxAge.isPresent() && known.updatedAt().plus(profileMaxAge.get()).isBefore(clock.instant());
  }
}
