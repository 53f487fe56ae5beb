package dev.userfabric.domain.service;

import dev.userfabric.domain.port.in.ApplyUserEventCommand;
import dev.userfabric.domain.port.in.ApplyUserEventResult;
import dev.userfabric.domain.port.in.ApplyUserEventUseCase;
import dev.userfabric.domain.port.out.UserCache;
import java.util.Objects;

/**
 * The event flow of 000-user-creation-flows, grown to every kind of user event: the store keeps
 * the event's state unless it holds something newer. The flow's "get user, insert if it does not
 * exist" is one atomic step of the store (compare revisions, then write): one round trip per
 * event, and no race between two deliveries for one user can leave the older state.
 */
public final class ApplyUserEventService implements ApplyUserEventUseCase {

  private final UserCache userCache;

  public ApplyUserEventService(UserCache userCache) {
    this.userCache = Objects.requireNonNull(userCache);
  }

  @Override
  public ApplyUserEventResult apply(ApplyUserEventCommand command) {
    boolean applied = userCache.apply(command.event());
    return applied ? ApplyUserEventResult.APPLIED : ApplyUserEventResult.STALE;
  }
}
