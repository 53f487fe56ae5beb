package dev.userfabric.domain.service;

import dev.userfabric.domain.model.AccessDenied;
import dev.userfabric.domain.model.AccessToken;
import dev.userfabric.domain.model.InvalidAccessToken;
import dev.userfabric.domain.model.InvalidUserData;
import dev.userfabric.domain.model.UserId;
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
    return notRevoked(forUserBeforeRevocation(accessToken));
  }

  /**
   * What {@link #forUser} checks before it asks the revocation list: genuine, a person's, with
   * the create-user scope. The caller must {@link #requireNotRevoked} the token before it acts
   * on it, or answers with anything it read meanwhile.
   */
  public VerifiedAccessToken forUserBeforeRevocation(AccessToken accessToken) {
    VerifiedAccessToken token = verifier.verify(accessToken);
    if (token.bearer() != VerifiedAccessToken.Bearer.PERSON) {
      throw new AccessDenied(AccessDenied.Reason.NOT_A_USER_TOKEN, "token names a client, not a person");
    }
    policy.createUserScope().ifPresent(scope -> requireScope(token, scope));
    return token;
  }

  /** Throws {@link InvalidAccessToken} ({@code REVOKED}) if the token was revoked. */
  public void requireNotRevoked(VerifiedAccessToken token) {
    notRevoked(token);
  }

  /** Any token granting the admin scope, not revoked; administrators are often clients. */
  public VerifiedAccessToken forAdministrator(AccessToken accessToken) {
    VerifiedAccessToken token = verifier.verify(accessToken);
    requireScope(token, policy.adminScope());
    return notRevoked(token);
  }

  /**
   * Any token, of a person or a client, not revoked: what may ask to read or erase users. Which
   * users it may touch is {@link #mayActOn}'s to say.
   */
  public VerifiedAccessToken forCaller(AccessToken accessToken) {
    return notRevoked(verifier.verify(accessToken));
  }

  /**
   * Whether the caller may act on the user {@code requested} names (as text; empty or equal to
   * the caller's own id means their own user), and which user that is. A person acts on their own
   * user; any other takes {@code scope}, and only then is the text read as an id.
   */
  public UserId mayActOn(VerifiedAccessToken caller, String requested, String scope) {
    boolean own = requested.isEmpty() || requested.equals(caller.userId().toString());
    if (own) {
      if (caller.bearer() != VerifiedAccessToken.Bearer.PERSON) {
        throw new AccessDenied(AccessDenied.Reason.NOT_A_USER_TOKEN, "a client has no user of its own");
      }
      return caller.userId();
    }
    requireScope(caller, scope);
    try {
      return UserId.parse(requested);
    } catch (IllegalArgumentException e) {
      throw new InvalidUserData("user_id must be a user id (a UUID)");
    }
  }

  /** Throws {@link AccessDenied} unless the token grants the read scope. */
  public void requireReadScope(VerifiedAccessToken token) {
    requireScope(token, policy.readScope());
  }

  public AccessPolicy policy() {
    return policy;
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
