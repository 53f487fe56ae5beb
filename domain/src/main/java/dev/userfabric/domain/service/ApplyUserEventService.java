package dev.userfabric.domain.service;

import dev.userfabric.domain.port.in.ApplyUserEventCommand;
import dev.userfabric.domain.port.in.ApplyUserEventResult;
import dev.userfabric.domain.port.in.ApplyUserEventUseCase;
import dev.userfabric.domain.port.out.UserCache;
import dev.userfabric.domain.model.UserEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The event flow of 000-user-creation-flows, grown to every kind of user event: the store keeps
 * the event's state unless it holds something newer. The flow's "get user, insert if it does not
 * exist" is one atomic step of the store (compare revisions, then write): one round trip per
 * event, and no race between two deliveries for one user can leave the older state.
 */
public final class ApplyUserEventService implements ApplyUserEventUseCase {

  private final UserCache userCache;
  private final IdentityLinker linker;

  public ApplyUserEventService(UserCache userCache) {
    this(userCache, IdentityLinker.off(userCache));
  }

  /** @param linker lists stored users under their verified email, where their issuer links */
  public ApplyUserEventService(UserCache userCache, IdentityLinker linker) {
    this.userCache = Objects.requireNonNull(userCache);
    this.linker = Objects.requireNonNull(linker);
  }

  @Override
  public ApplyUserEventResult apply(ApplyUserEventCommand command) {
    boolean applied = userCache.apply(command.event());
    // Every time, not only when applied: a redelivery after a failed listing must list it. A
    // listing the user no longer holds is found stale and dropped by the next first login.
    linker.indexStored(command.event());
    return applied ? ApplyUserEventResult.APPLIED : ApplyUserEventResult.STALE;
  }

  /** The same for each event, the store's writes in one go. */
  @Override
  public List<ApplyUserEventResult> applyAll(List<ApplyUserEventCommand> commands) {
    List<UserEvent> events = commands.stream().map(ApplyUserEventCommand::event).toList();
    List<Boolean> applied = userCache.applyAll(events);
    List<ApplyUserEventResult> results = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      linker.indexStored(events.get(i));
      results.add(applied.get(i) ? ApplyUserEventResult.APPLIED : ApplyUserEventResult.STALE);
    }
    return results;
  }
}
