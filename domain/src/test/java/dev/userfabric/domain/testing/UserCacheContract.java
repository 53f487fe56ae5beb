package dev.userfabric.domain.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.port.out.UserCache;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What every {@link UserCache} must do; implementations' tests supply the instance. */
public abstract class UserCacheContract {

  protected abstract UserCache cache();

  /** A subject no other test (or run) uses, so tests on a shared server do not meet. */
  protected static String freshSubject() {
    return "user-" + UUID.randomUUID();
  }

  @Test
  public void findsNothingForAnUnknownId() {
    assertEquals(Optional.empty(), cache().find(UserId.of(Users.identity(freshSubject()))));
  }

  @Test
  public void returnsAnInsertedUserWithEveryClaim() {
    User user = Users.fullUser(freshSubject());

    assertTrue(cache().insertIfAbsent(user));

    assertEquals(Optional.of(user), cache().find(user.id()));
  }

  @Test
  public void keepsAbsentClaimsAbsent() {
    User user = Users.bareUser(freshSubject());

    cache().insertIfAbsent(user);

    assertEquals(Optional.of(user), cache().find(user.id()));
  }

  @Test
  public void keepsTheFirstUserWhenInsertedTwice() {
    String subject = freshSubject();
    User first = Users.fullUser(subject);
    User second = Users.bareUser(subject);

    assertTrue(cache().insertIfAbsent(first));
    assertFalse(cache().insertIfAbsent(second));

    assertEquals(Optional.of(first), cache().find(first.id()));
  }

  @Test
  public void storesOneUserWhenManyInsertAtOnce() throws Exception {
    User user = Users.fullUser(freshSubject());
    int racers = 16;
    List<Callable<Boolean>> inserts = new ArrayList<>();
    for (int i = 0; i < racers; i++) {
      inserts.add(() -> cache().insertIfAbsent(user));
    }

    int winners = 0;
    try (ExecutorService pool = Executors.newFixedThreadPool(racers)) {
      for (Future<Boolean> inserted : pool.invokeAll(inserts)) {
        winners += inserted.get() ? 1 : 0;
      }
    }

    assertEquals(1, winners);
    assertEquals(Optional.of(user), cache().find(user.id()));
  }
}
