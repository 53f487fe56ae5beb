package dev.userfabric.domain.port.in;

import dev.userfabric.domain.model.UserFabricFailure;
import java.util.List;

/** The event driver's use case: keeps the newest state each user event announces. */
public interface ApplyUserEventUseCase {

  /**
   * Both outcomes mean the event is done with and may be acknowledged.
   *
   * @throws UserFabricFailure when the store cannot be reached (retry the event) or its record
   *     of the user cannot be read
   */
  ApplyUserEventResult apply(ApplyUserEventCommand command);

  /**
   * Applies several events at once (a driver's batch of deliveries): the result at each position
   * is that event's, as if each were applied alone. On a failure some may be applied and others
   * not; applying them again, together or one by one, is safe.
   *
   * @throws UserFabricFailure as {@link #apply}, without saying which event caused it
   */
  default List<ApplyUserEventResult> applyAll(List<ApplyUserEventCommand> commands) {
    return commands.stream().map(this::apply).toList();
  }
}
