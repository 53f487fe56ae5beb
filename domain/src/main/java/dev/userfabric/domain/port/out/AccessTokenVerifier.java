package dev.userfabric.domain.port.out;

import dev.userfabric.domain.model.AccessToken;
import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.model.IdentityProviderUnavailable;
import dev.userfabric.domain.model.InvalidAccessToken;

/** Decides whether an access token is genuine and meant for us, and whom it speaks for. */
public interface AccessTokenVerifier {

  /**
   * @throws InvalidAccessToken when the token must be refused
   * @throws IdentityProviderUnavailable when the keys to check it cannot be had
   */
  Identity verify(AccessToken accessToken);
}
