package dev.userfabric.domain.port.in;

import dev.userfabric.domain.model.AccessToken;
import dev.userfabric.domain.model.UserFabricFailure;
import dev.userfabric.domain.model.VerifiedAccessToken;

/** Logout: the holder of a token gives it up before it expires. */
public interface RevokeAccessTokenUseCase {

  /**
   * Revokes the presented token; revoking it twice is not an error.
   *
   * @return the token as verified, so the caller can say until when it stays on the list
   * @throws UserFabricFailure when the token is not genuine or the revocation cannot be recorded
   */
  VerifiedAccessToken revokeAccessToken(AccessToken accessToken);
}
