package dev.userfabric.domain.port.in;

import dev.userfabric.domain.model.UserFabricFailure;

/** Fetches the caller's profile again and announces it if it changed. */
public interface RefreshUserUseCase {

  /**
   * @throws UserFabricFailure {@code UserNotFound} when the caller's user is not stored (it is
   *     never created here), or when the token is refused or a dependency fails
   */
  RefreshUserResult refreshUser(RefreshUserCommand command);
}
