package dev.userfabric.domain.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserEvent;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.model.UserRecord;
import dev.userfabric.domain.model.UserUpdated;
import dev.userfabric.domain.port.out.UserCache;
import dev.userfabric.domain.port.out.UserPage;
import dev.userfabric.domain.port.out.UserQuery;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** What every {@link UserCache} must do; implementations' tests supply the instance. */
public abstract class UserCacheContract {

  protected abstract UserCache cache();

  /** A subject no other test (or run) uses, so tests on a shared server do not meet. */
  protected static String freshSubject() {
    return "user-" + UUID.randomUUID();
  }

  /** An issuer no other test (or run) uses: a listing filtered by it sees only this test's users. */
  protected static String freshIssuer() {
    return "https://idp-" + UUID.randomUUID() + ".example.test";
  }

  @Test
  public void findsNothingForAnUnknownId() {
    UserId id = UserId.of(Users.identity(freshSubject()));

    assertEquals(Optional.empty(), cache().find(id));
    assertEquals(UserRecord.MISSING, cache().read(id));
  }

  @Test
  public void readsAheadWhatAReadWouldGive() {
    User user = Users.fullUser(freshSubject());
    User erased = Users.user(freshIssuer(), freshSubject(), "gone@example.test", 1);
    UserId unknown = UserId.of(Users.identity(freshSubject()));
    cache().apply(Users.created(user));
    cache().apply(Users.created(erased));
    cache().apply(Users.deleted(erased, 2));

    // Asked for together, awaited in another order than asked: each answer is its own id's.
    var stored = cache().readAhead(user.id());
    var tombstone = cache().readAhead(erased.id());
    var missing = cache().readAhead(unknown);

    assertEquals(UserRecord.MISSING, missing.get());
    assertEquals(cache().read(erased.id()), tombstone.get());
    assertInstanceOf(UserRecord.Erased.class, tombstone.get());
    assertEquals(Optional.of(user), stored.get().activeUser());
    assertEquals(cache().resolve(user.id()), cache().resolve(user.id(), cache().readAhead(user.id()).get()));
  }

  @Test
  public void returnsACreatedUserWithEveryClaim() {
    User user = Users.fullUser(freshSubject());

    assertTrue(cache().apply(Users.created(user)));

    assertEquals(Optional.of(user), cache().find(user.id()));
  }

  @Test
  public void keepsAbsentClaimsAbsent() {
    User user = Users.bareUser(freshSubject());

    cache().apply(Users.created(user));

    assertEquals(Optional.of(user), cache().find(user.id()));
  }

  @Test
  public void changesNothingWhenTheSameEventArrivesTwice() {
    var created = Users.created(Users.fullUser(freshSubject()));

    assertTrue(cache().apply(created));
    assertFalse(cache().apply(created));

    assertEquals(Optional.of(created.user()), cache().find(created.userId()));
  }

  @Test
  public void keepsTheNewerUpdate() {
    User user = Users.user(Users.ISSUER, freshSubject(), "v1@example.test", 1);
    UserUpdated update = Users.updated(user, "v2@example.test", 2);

    cache().apply(Users.created(user));
    assertTrue(cache().apply(update));

    assertEquals(Optional.of(update.user()), cache().find(user.id()));
    assertEquals(2, cache().read(user.id()).version());
  }

  @Test
  public void ignoresAnOlderEventArrivingAfterANewerOne() {
    User user = Users.user(Users.ISSUER, freshSubject(), "v1@example.test", 1);
    UserUpdated newer = Users.updated(user, "v3@example.test", 3);

    assertTrue(cache().apply(newer)); // an update may arrive before the creation it follows
    assertFalse(cache().apply(Users.updated(user, "v2@example.test", 2)));
    assertFalse(cache().apply(Users.created(user)));

    assertEquals(Optional.of(newer.user()), cache().find(user.id()));
  }

  @Test
  public void leavesATombstoneThatAnOlderEventCannotUndo() {
    User user = Users.user(Users.ISSUER, freshSubject(), "v1@example.test", 1);
    cache().apply(Users.created(user));

    assertTrue(cache().apply(Users.deleted(user, 3)));
    assertFalse(cache().apply(Users.updated(user, "v2@example.test", 2)));
    assertFalse(cache().apply(Users.created(user)));

    assertEquals(Optional.empty(), cache().find(user.id()));
    UserRecord.Erased tombstone = assertInstanceOf(UserRecord.Erased.class, cache().read(user.id()));
    assertEquals(3, tombstone.version());
    assertEquals(user.id(), tombstone.id());
  }

  @Test
  public void bringsAnErasedUserBackWithANewerCreation() {
    User user = Users.user(Users.ISSUER, freshSubject(), "v1@example.test", 1);
    cache().apply(Users.created(user));
    cache().apply(Users.deleted(user, 2));
    User again = Users.user(Users.ISSUER, user.identity().subject(), "again@example.test", 5);

    assertTrue(cache().apply(Users.created(again)));

    assertEquals(Optional.of(again), cache().find(user.id()));
  }

  @Test
  public void breaksATieOfVersionsTheSameWayWhateverTheOrder() {
    UUID low = UUID.fromString("00000000-0000-4000-8000-000000000001");
    UUID high = UUID.fromString("ffffffff-0000-4000-8000-000000000001");
    String issuer = Users.ISSUER;
    User first = Users.user(issuer, freshSubject(), "v1@example.test", 1);
    User second = Users.user(issuer, freshSubject(), "v1@example.test", 1);

    cache().apply(Users.updated(first, "low@example.test", 7, low));
    cache().apply(Users.updated(first, "high@example.test", 7, high));
    cache().apply(Users.updated(second, "high@example.test", 7, high));
    cache().apply(Users.updated(second, "low@example.test", 7, low));

    assertEquals("high@example.test", cache().find(first.id()).orElseThrow().profile().email().orElseThrow());
    assertEquals("high@example.test", cache().find(second.id()).orElseThrow().profile().email().orElseThrow());
  }

  @Test
  public void letsAnErasureWinATieOfVersions() {
    User user = Users.user(Users.ISSUER, freshSubject(), "v1@example.test", 1);

    cache().apply(Users.deleted(user, 4));
    assertFalse(cache().apply(Users.updated(user, "same-version@example.test", 4)));

    assertEquals(Optional.empty(), cache().find(user.id()));
  }

  @Test
  public void convergesOnTheNewestWhenShuffledDuplicatedEventsRace() throws Exception {
    User user = Users.user(Users.ISSUER, freshSubject(), "v1@example.test", 1);
    List<UserEvent> events = new ArrayList<>();
    events.add(Users.created(user));
    for (int version = 2; version <= 12; version++) {
      events.add(Users.updated(user, "v" + version + "@example.test", version));
    }
    events.addAll(List.copyOf(events)); // every event twice
    Collections.shuffle(events, new Random(42));
    List<Callable<Boolean>> applies = events.stream().<Callable<Boolean>>map(e -> () -> cache().apply(e)).toList();

    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      for (Future<Boolean> applied : pool.invokeAll(applies)) {
        applied.get();
      }
    }

    User newest = cache().find(user.id()).orElseThrow();
    assertEquals(12, newest.version());
    assertEquals("v12@example.test", newest.profile().email().orElseThrow());
  }

  @Test
  public void listsUsersOfAnIssuerPageByPageInIdOrder() {
    String issuer = freshIssuer();
    Map<UserId, User> users = new HashMap<>();
    for (int i = 0; i < 23; i++) {
      User user = Users.user(issuer, "s" + i, "s" + i + "@example.test", 1);
      cache().apply(Users.created(user));
      users.put(user.id(), user);
    }
    User erased = Users.user(issuer, "erased", "erased@example.test", 1);
    cache().apply(Users.created(erased));
    cache().apply(Users.deleted(erased, 2));

    List<User> listed = listAll(issuer, 5);

    List<String> ids = listed.stream().map(user -> user.id().toString()).toList();
    assertEquals(ids.stream().sorted().toList(), ids, "ascending order of id");
    assertEquals(Set.copyOf(users.values()), Set.copyOf(listed));
    assertEquals(users.size(), listed.size(), "each user once");
  }

  @Test
  public void listsNothingForAnIssuerWithoutUsers() {
    UserPage page = cache().list(new UserQuery(Optional.of(freshIssuer()), Optional.empty(), 10));

    assertEquals(List.of(), page.users());
    assertEquals(Optional.empty(), page.next());
  }

  @Test
  public void listsEveryUserThatExistedThroughoutExactlyOnceWhileOthersAreWritten() throws Exception {
    String issuer = freshIssuer();
    Set<UserId> stable = new HashSet<>();
    for (int i = 0; i < 150; i++) {
      User user = Users.user(issuer, "stable-" + i, "stable@example.test", 1);
      cache().apply(Users.created(user));
      stable.add(user.id());
    }
    AtomicBoolean listing = new AtomicBoolean(true);
    List<UserId> churned = Collections.synchronizedList(new ArrayList<>());
    Thread writer = Thread.ofPlatform().start(() -> {
      for (int i = 0; listing.get(); i++) {
        User user = Users.user(issuer, "churn-" + i, "churn@example.test", 1);
        cache().apply(Users.created(user));
        cache().apply(Users.updated(user, "changed@example.test", 2));
        if (i % 2 == 0) {
          cache().apply(Users.deleted(user, 3));
        }
        churned.add(user.id());
      }
    });

    List<User> listed;
    try {
      listed = listAll(issuer, 7);
    } finally {
      listing.set(false);
      writer.join();
    }

    List<UserId> listedIds = listed.stream().map(User::id).toList();
    assertEquals(listedIds.size(), Set.copyOf(listedIds).size(), "no user listed twice");
    assertTrue(Set.copyOf(listedIds).containsAll(stable), "every stable user listed");
    Set<UserId> known = new HashSet<>(stable);
    known.addAll(churned);
    assertTrue(known.containsAll(listedIds), "no stray user");
  }

  private List<User> listAll(String issuer, int pageSize) {
    List<User> listed = new ArrayList<>();
    Optional<UserId> after = Optional.empty();
    for (int pages = 0; pages < 10_000; pages++) {
      UserPage page = cache().list(new UserQuery(Optional.of(issuer), after, pageSize));
      assertTrue(page.users().size() <= pageSize, "page within its size");
      listed.addAll(page.users());
      if (page.next().isEmpty()) {
        return listed;
      }
      after = page.next();
    }
    throw new AssertionError("the listing did not end");
  }

  /** A user of a fresh issuer, and an identity of another fresh issuer to link to it. */
  private static dev.userfabric.domain.model.IdentityLinked linked(User user, dev.userfabric.domain.model.Identity identity,
      long version) {
    return new dev.userfabric.domain.model.IdentityLinked(UUID.randomUUID(), Users.CREATED_AT.plusSeconds(version),
        user.withLinked(identity, version), identity);
  }

  @Test
  public void appliesABatchAsIfEachEventWereAppliedAloneInItsOrder() {
    String issuer = freshIssuer();
    User ada = Users.user(issuer, freshSubject(), "ada@example.test", 10);
    User bob = Users.user(issuer, freshSubject(), "bob@example.test", 10);
    User newerBob = Users.updated(bob, "bob@new.example.test", 12).user();
    User carl = Users.user(issuer, freshSubject(), "carl@example.test", 10);
    cache().apply(Users.created(newerBob));
    cache().apply(Users.created(carl));
    dev.userfabric.domain.model.Identity other = new dev.userfabric.domain.model.Identity(freshIssuer(), freshSubject());
    var adaCreated = Users.created(ada);
    var adaLinked = linked(ada, other, 11);

    List<Boolean> applied = cache().applyAll(List.of(adaCreated, Users.created(bob), adaCreated,
        Users.deleted(carl, 11), adaLinked, adaLinked));

    assertEquals(List.of(true, false, false, true, true, false), applied, "each event's own answer, in order");
    assertEquals(List.of(ada.identity(), other), cache().find(ada.id()).orElseThrow().identities());
    assertEquals(ada.id(), cache().resolve(UserId.of(other)).activeUser().orElseThrow().id());
    assertEquals(Optional.of(newerBob), cache().find(bob.id()));
    assertInstanceOf(UserRecord.Erased.class, cache().read(carl.id()));
    assertEquals(List.of(), cache().applyAll(List.of()));
  }

  @Test
  public void aLinkedIdentityResolvesToItsUserAndTheUserListsIt() {
    User user = Users.user(freshIssuer(), freshSubject(), "ada@example.test", 10);
    dev.userfabric.domain.model.Identity other = new dev.userfabric.domain.model.Identity(freshIssuer(), freshSubject());
    cache().apply(Users.created(user));

    assertTrue(cache().apply(linked(user, other, 11)));

    UserRecord alias = cache().read(UserId.of(other));
    assertInstanceOf(UserRecord.Linked.class, alias);
    assertEquals(user.id(), ((UserRecord.Linked) alias).target());
    User resolved = cache().resolve(UserId.of(other)).activeUser().orElseThrow();
    assertEquals(user.id(), resolved.id());
    assertEquals(List.of(user.identity(), other), resolved.identities());
    assertEquals(Optional.empty(), cache().find(UserId.of(other)), "a link is not a user");
  }

  @Test
  public void anUnlinkedIdentityLeavesATombstoneThatALateLinkCannotUndo() {
    User user = Users.user(freshIssuer(), freshSubject(), "ada@example.test", 10);
    dev.userfabric.domain.model.Identity other = new dev.userfabric.domain.model.Identity(freshIssuer(), freshSubject());
    cache().apply(Users.created(user));
    var link = linked(user, other, 11);
    cache().apply(link);
    User without = link.user().withoutLinked(other, 12);

    assertTrue(cache().apply(new dev.userfabric.domain.model.IdentityUnlinked(UUID.randomUUID(),
        Users.CREATED_AT.plusSeconds(12), without, other)));
    assertFalse(cache().apply(link), "the link, delivered again late, is older");

    assertInstanceOf(UserRecord.Erased.class, cache().read(UserId.of(other)));
    assertEquals(List.of(user.identity()), cache().find(user.id()).orElseThrow().identities());
    assertEquals(12, cache().resolve(UserId.of(other)).version());
  }

  @Test
  public void aLinkToAnErasedUserResolvesToTheLinkItself() {
    User user = Users.user(freshIssuer(), freshSubject(), "ada@example.test", 10);
    dev.userfabric.domain.model.Identity other = new dev.userfabric.domain.model.Identity(freshIssuer(), freshSubject());
    cache().apply(Users.created(user));
    cache().apply(linked(user, other, 11));
    cache().apply(Users.deleted(user, 12));

    UserRecord resolved = cache().resolve(UserId.of(other));

    assertInstanceOf(UserRecord.Linked.class, resolved);
    assertEquals(11, resolved.version(), "a new user of the identity must be newer than its link");
  }

  @Test
  public void linksAreNotListed() {
    String issuer = freshIssuer();
    User user = Users.user(issuer, freshSubject(), "ada@example.test", 10);
    dev.userfabric.domain.model.Identity other = new dev.userfabric.domain.model.Identity(issuer, freshSubject());
    cache().apply(Users.created(user));
    cache().apply(linked(user, other, 11));

    UserPage page = cache().list(new UserQuery(Optional.of(issuer), Optional.empty(), 10));

    assertEquals(List.of(user.id()), page.users().stream().map(User::id).toList());
  }
}
