package dev.userfabric.domain.service;

import dev.userfabric.domain.model.AccessToken;
import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserUpdated;
import dev.userfabric.domain.model.UserProfile;
import dev.userfabric.domain.model.UserVersion;
import dev.userfabric.domain.model.VerifiedAccessToken;
import dev.userfabric.domain.port.in.RefreshUserResult;
import dev.userfabric.domain.port.out.UserEventPublisher;
import dev.userfabric.domain.port.out.UserProfileProvider;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Fetches a stored user's profile again and, if it changed, publishes the new state as
 * UserUpdated. Shared by RefreshUser and by CreateUser when a stored profile is too old.
 */
final class ProfileRefresh {

  private final UserProfileProvider profiles;
  private final UserEventPublisher publisher;
  private final InstantSource clock;
  private final Supplier<UUID> eventIds;

  ProfileRefresh(UserProfileProvider profiles, UserEventPublisher publisher, InstantSource clock,
      Supplier<UUID> eventIds) {
    this.profiles = Objects.requireNonNull(profiles);
    this.publisher = Objects.requireNonNull(publisher);
    this.clock = Objects.requireNonNull(clock);
    this.eventIds = Objects.requireNonNull(eventIds);
  }

  RefreshUserResult refresh(AccessToken accessToken, VerifiedAccessToken token, User stored) {
    UserProfile fetched = profiles.fetchCurrentProfile(accessToken, token);

    Set<String> changed = stored.profile().changedClaims(fetched);
    if (changed.isEmpty()) {
      return new RefreshUserResult(stored, changed);
    }

    Instant now = clock.instant();
    User updated = stored.withProfile(fetched, now, UserVersion.after(stored.version(), now));
    publisher.publish(new UserUpdated(eventIds.get(), now, updated, changed));
    return new RefreshUserResult(updated, changed);
  }
}
