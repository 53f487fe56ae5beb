package dev.userfabric.domain.port.in;

import dev.userfabric.domain.model.UserFabricFailure;

/** Stores the user a UserCreated event announces, unless it is stored already. */
public interface StoreCreatedUserUseCase {

  /**
   * Both outcomes mean the event is done with and may be acknowledged.
   *
   * @throws UserFabricFailure when the cache cannot be reached; the event must be retried
   */
  StoreCreatedUserResult storeCreatedUser(StoreCreatedUserCommand command);
}
