package dev.userfabric.domain.port.out;

import dev.userfabric.domain.model.AccessToken;
import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.model.IdentityProviderUnavailable;
import dev.userfabric.domain.model.InvalidAccessToken;
import dev.userfabric.domain.model.UserProfile;
import dev.userfabric.domain.model.UserProfileUnavailable;

/** The identity provider's account of a user (the OIDC userinfo endpoint). */
public interface UserProfileProvider {

  /**
   * Fetches the profile of the identity the token was verified for.
   *
   * @throws InvalidAccessToken when the provider refuses the token
   * @throws IdentityProviderUnavailable when the provider cannot be reached or fails
   * @throws UserProfileUnavailable when the answer is not a profile of this identity
   */
  UserProfile fetchProfile(AccessToken accessToken, Identity identity);
}
