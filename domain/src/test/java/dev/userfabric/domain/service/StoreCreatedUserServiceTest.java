package dev.userfabric.domain.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.userfabric.domain.model.CacheUnavailable;
import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserCreated;
import dev.userfabric.domain.port.in.StoreCreatedUserCommand;
import dev.userfabric.domain.port.in.StoreCreatedUserResult;
import dev.userfabric.domain.testing.InMemoryUserCache;
import dev.userfabric.domain.testing.Users;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StoreCreatedUserServiceTest {

  private final InMemoryUserCache cache = new InMemoryUserCache();
  private final StoreCreatedUserService service = new StoreCreatedUserService(cache);

  @Test
  public void insertsTheAnnouncedUser() {
    User ada = Users.fullUser("ada");

    StoreCreatedUserResult result = service.storeCreatedUser(eventFor(ada));

    assertEquals(StoreCreatedUserResult.INSERTED, result);
    assertEquals(Optional.of(ada), cache.find(ada.id()));
  }

  @Test
  public void leavesAnAlreadyStoredUserUntouched() {
    User stored = Users.fullUser("ada");
    cache.preload(stored);

    StoreCreatedUserResult result = service.storeCreatedUser(eventFor(Users.bareUser("ada")));

    assertEquals(StoreCreatedUserResult.ALREADY_STORED, result);
    assertEquals(Optional.of(stored), cache.find(stored.id())); // the full record, not the event's
    assertEquals(1, cache.writes(), "one atomic insert-if-absent, no lookup first");
    assertEquals(1, cache.reads(), "only this test's own read");
  }

  @Test
  public void storesOneUserWhenTheSameEventArrivesTwice() {
    StoreCreatedUserCommand event = eventFor(Users.fullUser("ada"));

    service.storeCreatedUser(event);
    StoreCreatedUserResult redelivery = service.storeCreatedUser(event);

    assertEquals(StoreCreatedUserResult.ALREADY_STORED, redelivery);
    assertEquals(1, cache.size());
  }

  @Test
  public void failsSoTheEventIsRetriedWhenTheCacheIsDown() {
    cache.goDown();

    assertThrows(CacheUnavailable.class,
        () -> service.storeCreatedUser(eventFor(Users.fullUser("ada"))));
  }

  private static StoreCreatedUserCommand eventFor(User user) {
    return new StoreCreatedUserCommand(
        new UserCreated(UUID.randomUUID(), Instant.parse("2026-11-21T08:00:00Z"), user));
  }
}
