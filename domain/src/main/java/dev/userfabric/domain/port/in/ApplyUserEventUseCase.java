package dev.userfabric.domain.port.in;

import dev.userfabric.domain.model.UserFabricFailure;

/** The event driver's use case: keeps the newest state each user event announces. */
public interface ApplyUserEventUseCase {

  /**
   * Both outcomes mean the event is done with and may be acknowledged.
   *
   * @throws UserFabricFailure when the store cannot be reached (retry the event) or its record
   *     of the user cannot be read
   */
  ApplyUserEventResult apply(ApplyUserEventCommand command);
}
