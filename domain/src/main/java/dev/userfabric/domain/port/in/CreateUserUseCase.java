package dev.userfabric.domain.port.in;

import dev.userfabric.domain.model.UserFabricFailure;

/** Returns the caller's user, creating it (and announcing it) on the first call. */
public interface CreateUserUseCase {

  /**
   * @throws UserFabricFailure when the token is refused or a dependency fails; nothing is
   *     published in either case
   */
  CreateUserResult createUser(CreateUserCommand command);
}
