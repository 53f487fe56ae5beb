package dev.userfabric.domain.port.out;

import dev.userfabric.domain.model.AccessToken;
import dev.userfabric.domain.model.IdentityProviderUnavailable;
import dev.userfabric.domain.model.InvalidAccessToken;
import dev.userfabric.domain.model.VerifiedAccessToken;

/**
 * Decides whether an access token is genuine, current and meant for us, and what it says. It does
 * not decide what the token may do, nor whether it was revoked since: that is {@code AccessControl}.
 */
public interface AccessTokenVerifier {

  /**
   * @throws InvalidAccessToken when the token must be refused
   * @throws IdentityProviderUnavailable when the means to check it (keys, introspection) cannot be had
   */
  VerifiedAccessToken verify(AccessToken accessToken);
}
