package dev.userfabric.domain.service;

import dev.userfabric.domain.model.AccessDenied;
import dev.userfabric.domain.model.AccessToken;
import dev.userfabric.domain.model.InvalidAccessToken;
import dev.userfabric.domain.model.VerifiedAccessToken;
import dev.userfabric.domain.port.out.AccessTokenVerifier;
import dev.userfabric.domain.port.out.RevocationList;
import java.util.Objects;

/**
 * Turns a presented token into a checked one for a purpose: genuine (the verifier), allowed
 * (the policy), and not revoked. The checks that need no I/O come first, so a token refused by
 * them costs the revocation list nothing.
 */
public final class AccessControl {

  private final AccessTokenVerifier verifier;
  private final RevocationList revocations;
  private final AccessPolicy policy;

  public AccessControl(AccessTokenVerifier verifier, RevocationList revocations, AccessPolicy policy) {
    this.verifier = Objects.requireNonNull(verifier);
    this.revocations = Objects.requireNonNull(revocations);
    this.policy = Objects.requireNonNull(policy);
  }

  /** A person's token, granting the create-user scope, not revoked. */
  public VerifiedAccessToken forUser(AccessToken accessToken) {
    VerifiedAccessToken token = verifier.verify(accessToken);
    if (token.bearer() != VerifiedAccessToken.Bearer.PERSON) {
      throw new AccessDenied(AccessDenied.Reason.NOT_A_USER_TOKEN, "token names a client, not a person");
    }
    policy.createUserScope().ifPresent(scope -> requireScope(token, scope));
    return notRevoked(token);
  }

  /** Any token granting the admin scope, not revoked; administrators are often clients. */
  public VerifiedAccessToken forAdministrator(AccessToken accessToken) {
    VerifiedAccessToken token = verifier.verify(accessToken);
    requireScope(token, policy.adminScope());
    return notRevoked(token);
  }

  /** Any genuine token, revoked or not: its holder may always give it up. */
  public VerifiedAccessToken forHolder(AccessToken accessToken) {
    return verifier.verify(accessToken);
  }

  private static void requireScope(VerifiedAccessToken token, String scope) {
    if (!token.grants(scope)) {
      throw new AccessDenied(AccessDenied.Reason.INSUFFICIENT_SCOPE, "token lacks scope " + scope);
    }
  }

  private VerifiedAccessToken notRevoked(VerifiedAccessToken token) {
    if (revocations.isRevoked(token)) {
      throw new InvalidAccessToken(InvalidAccessToken.Reason.REVOKED, "token was revoked", null);
    }
    return token;
  }
}
