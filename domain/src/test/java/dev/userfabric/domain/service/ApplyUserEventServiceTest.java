package dev.userfabric.domain.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.userfabric.domain.model.CacheUnavailable;
import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserEvent;
import dev.userfabric.domain.model.UserRecord;
import dev.userfabric.domain.port.in.ApplyUserEventCommand;
import dev.userfabric.domain.port.in.ApplyUserEventResult;
import dev.userfabric.domain.testing.InMemoryUserCache;
import dev.userfabric.domain.testing.Users;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApplyUserEventServiceTest {

  private final InMemoryUserCache cache = new InMemoryUserCache();
  private final ApplyUserEventService service = new ApplyUserEventService(cache);
  private final User ada = Users.user(Users.ISSUER, "ada", "ada@example.test", 10);

  @Test
  public void storesTheAnnouncedUser() {
    ApplyUserEventResult result = apply(Users.created(ada));

    assertEquals(ApplyUserEventResult.APPLIED, result);
    assertEquals(Optional.of(ada), cache.find(ada.id()));
    assertEquals(1, cache.writes(), "one atomic compare-and-write, no lookup first");
    assertEquals(1, cache.reads(), "only this test's own read");
  }

  @Test
  public void leavesANewerStoredUserUntouched() {
    User newer = Users.updated(ada, "newer@example.test", 11).user();
    cache.preload(newer);

    ApplyUserEventResult result = apply(Users.created(ada));

    assertEquals(ApplyUserEventResult.STALE, result);
    assertEquals(Optional.of(newer), cache.find(ada.id()));
  }

  @Test
  public void appliesTheSameEventOnce() {
    UserEvent event = Users.created(ada);

    apply(event);

    assertEquals(ApplyUserEventResult.STALE, apply(event));
    assertEquals(1, cache.size());
  }

  @Test
  public void replacesTheUserWithANewerUpdate() {
    cache.preload(ada);
    var update = Users.updated(ada, "new@example.test", 11);

    assertEquals(ApplyUserEventResult.APPLIED, apply(update));

    assertEquals(Optional.of(update.user()), cache.find(ada.id()));
  }

  @Test
  public void erasesTheUserAndKeepsATombstone() {
    cache.preload(ada);

    assertEquals(ApplyUserEventResult.APPLIED, apply(Users.deleted(ada, 11)));

    assertEquals(Optional.empty(), cache.find(ada.id()));
    assertEquals(11, ((UserRecord.Erased) cache.read(ada.id())).version());
  }

  @Test
  public void failsSoTheEventIsRetriedWhenTheCacheIsDown() {
    cache.goDown();

    assertThrows(CacheUnavailable.class, () -> apply(Users.created(ada)));
  }

  @Test
  public void appliesABatchInOneHandOverAsIfEachEventWereAppliedAlone() {
    User bob = Users.user(Users.ISSUER, "bob", "bob@example.test", 10);
    User newerBob = Users.updated(bob, "bob@new.example.test", 12).user();
    cache.preload(newerBob);
    User carl = Users.user(Users.ISSUER, "carl", "carl@example.test", 10);
    cache.preload(carl);
    UserEvent adaCreated = Users.created(ada);

    List<ApplyUserEventResult> results = service.applyAll(List.of(
        command(adaCreated), command(Users.created(bob)), command(adaCreated), command(Users.deleted(carl, 11))));

    assertEquals(List.of(ApplyUserEventResult.APPLIED, ApplyUserEventResult.STALE, ApplyUserEventResult.STALE,
        ApplyUserEventResult.APPLIED), results, "each event's own result, in order");
    assertEquals(1, cache.batches(), "the store is handed the events at once");
    assertEquals(Optional.of(ada), cache.find(ada.id()));
    assertEquals(Optional.of(newerBob), cache.find(bob.id()));
    assertEquals(Optional.empty(), cache.find(carl.id()));
  }

  @Test
  public void failsTheWholeBatchWhenTheCacheIsDown() {
    cache.goDown();

    assertThrows(CacheUnavailable.class, () -> service.applyAll(List.of(command(Users.created(ada)))));
  }

  private static ApplyUserEventCommand command(UserEvent event) {
    return new ApplyUserEventCommand(event);
  }

  private ApplyUserEventResult apply(UserEvent event) {
    return service.apply(new ApplyUserEventCommand(event));
  }
}
