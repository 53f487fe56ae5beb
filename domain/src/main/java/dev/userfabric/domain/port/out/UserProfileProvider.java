package dev.userfabric.domain.port.out;

import dev.userfabric.domain.model.AccessDenied;
import dev.userfabric.domain.model.AccessToken;
import dev.userfabric.domain.model.IdentityProviderUnavailable;
import dev.userfabric.domain.model.InvalidAccessToken;
import dev.userfabric.domain.model.UserProfile;
import dev.userfabric.domain.model.UserProfileUnavailable;
import dev.userfabric.domain.model.VerifiedAccessToken;

/** The identity provider's account of a user (the OIDC userinfo endpoint, or the token's claims). */
public interface UserProfileProvider {

  /**
   * Fetches the profile of the identity the token was verified for.
   *
   * @throws InvalidAccessToken when the provider refuses the token
   * @throws AccessDenied when the provider will not describe this user to this token
   * @throws IdentityProviderUnavailable when the provider cannot be reached, fails or asks us to
   *     slow down
   * @throws UserProfileUnavailable when the answer is not a profile of this identity
   */
  UserProfile fetchProfile(AccessToken accessToken, VerifiedAccessToken verified);

  /**
   * As {@link #fetchProfile}, but never answered from a profile fetched earlier: what the
   * provider says now (a refresh). By default the same, for providers that keep nothing.
   */
  default UserProfile fetchCurrentProfile(AccessToken accessToken, VerifiedAccessToken verified) {
    return fetchProfile(accessToken, verified);
  }
}
