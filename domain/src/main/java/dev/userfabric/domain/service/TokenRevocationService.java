package dev.userfabric.domain.service;

import dev.userfabric.domain.model.InvalidUserData;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.model.AccessToken;
import dev.userfabric.domain.model.VerifiedAccessToken;
import dev.userfabric.domain.port.in.RevokeAccessTokenUseCase;
import dev.userfabric.domain.port.in.RevokeUserTokensCommand;
import dev.userfabric.domain.port.in.RevokeUserTokensUseCase;
import dev.userfabric.domain.port.out.RevocationList;
import dev.userfabric.domain.port.out.UserCache;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;

/** Logout of one token, and revocation of all a user's tokens by an administrator. */
public final class TokenRevocationService implements RevokeAccessTokenUseCase, RevokeUserTokensUseCase {

  private final AccessControl accessControl;
  private final RevocationList revocations;
  private final InstantSource clock;
  private final Optional<UserCache> userCache;

  public TokenRevocationService(AccessControl accessControl, RevocationList revocations, InstantSource clock) {
    this(accessControl, revocations, clock, Optional.empty());
  }

  /**
   * @param userCache where a user's linked identities are found: revoking a user's tokens revokes
   *     those of every identity that resolves to it, or one linked login would outlive the rest
   */
  public TokenRevocationService(AccessControl accessControl, RevocationList revocations, InstantSource clock,
      Optional<UserCache> userCache) {
    this.userCache = Objects.requireNonNull(userCache);
    this.accessControl = Objects.requireNonNull(accessControl);
    this.revocations = Objects.requireNonNull(revocations);
    this.clock = Objects.requireNonNull(clock);
  }

  @Override
  public VerifiedAccessToken revokeAccessToken(AccessToken accessToken) {
    VerifiedAccessToken token = accessControl.forHolder(accessToken);
    revocations.revoke(token);
    return token;
  }

  @Override
  public Instant revokeUserTokens(RevokeUserTokensCommand command) {
    accessControl.forAdministrator(command.administratorToken());
    UserId user = userIdOf(command.userId());
    Instant cutoff = clock.instant();
    revocations.revokeIssuedBefore(user, cutoff);
    userCache.flatMap(cache -> cache.find(user)).ifPresent(found -> found.linkedIdentities()
        .forEach(linked -> revocations.revokeIssuedBefore(UserId.of(linked), cutoff)));
    return cutoff;
  }

  private static UserId userIdOf(String text) {
    try {
      return UserId.parse(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidUserData("user_id must be a user id (a UUID)");
    }
  }
}
