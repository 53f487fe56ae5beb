package dev.userfabric.domain.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * What a genuine access token says once its issuer vouched for it.
 *
 * @param identity whom it speaks for
 * @param tokenId the issuer's {@code jti}, or a digest of the token when it has none: the handle
 *     under which the token is revoked
 * @param issuedAt when the issuer minted it
 * @param expiresAt when it stops being valid
 * @param scopes the scopes it grants
 * @param bearer whether it names a person or only the client that obtained it
 * @param claimedProfile the profile claims the token itself carries (often none), used when the
 *     issuer has no userinfo endpoint
 * @param claims every claim of the token, for the provisioning policy
 */
public record VerifiedAccessToken(
    Identity identity,
    String tokenId,
    Instant issuedAt,
    Instant expiresAt,
    Set<String> scopes,
    Bearer bearer,
    UserProfile claimedProfile,
    Claims claims) {

  /** Who holds the token: a signed-in person, or a client acting for itself. */
  public enum Bearer { PERSON, CLIENT }

  public VerifiedAccessToken {
    Objects.requireNonNull(identity, "identity must not be null");
    tokenId = Identity.requireText("tokenId", tokenId);
    Objects.requireNonNull(issuedAt, "issuedAt must not be null");
    Objects.requireNonNull(expiresAt, "expiresAt must not be null");
    if (!expiresAt.isAfter(issuedAt)) {
      throw new IllegalArgumentException("expiresAt must be after issuedAt");
    }
    scopes = Set.copyOf(scopes);
    Objects.requireNonNull(bearer, "bearer must not be null");
    Objects.requireNonNull(claimedProfile, "claimedProfile must not be null");
    Objects.requireNonNull(claims, "claims must not be null");
  }

  /** A token whose other claims nobody asks about. */
  public VerifiedAccessToken(Identity identity, String tokenId, Instant issuedAt, Instant expiresAt,
      Set<String> scopes, Bearer bearer, UserProfile claimedProfile) {
    this(identity, tokenId, issuedAt, expiresAt, scopes, bearer, claimedProfile, Claims.NONE);
  }

  public boolean grants(String scope) {
    return scopes.contains(scope);
  }

  public UserId userId() {
    return UserId.of(identity);
  }
}
