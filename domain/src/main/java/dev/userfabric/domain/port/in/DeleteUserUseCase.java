package dev.userfabric.domain.port.in;

import dev.userfabric.domain.model.UserFabricFailure;

/** Erases a user: announces the erasure and revokes the tokens the user holds. */
public interface DeleteUserUseCase {

  /**
   * Returns once the broker confirmed UserDeleted.
   *
   * @throws UserFabricFailure {@code UserNotFound} when no user is stored under the id, or when
   *     the token is refused or a dependency fails
   */
  DeleteUserResult deleteUser(DeleteUserCommand command);
}
