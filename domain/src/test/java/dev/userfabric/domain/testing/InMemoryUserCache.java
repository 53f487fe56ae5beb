package dev.userfabric.domain.testing;

import dev.userfabric.domain.model.CacheUnavailable;
import dev.userfabric.domain.model.Revision;
import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserCreated;
import dev.userfabric.domain.model.UserEvent;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.model.UserRecord;
import dev.userfabric.domain.port.out.UserCache;
import dev.userfabric.domain.port.out.UserPage;
import dev.userfabric.domain.port.out.UserQuery;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A user cache in a map, for tests; can be taken down. */
public final class InMemoryUserCache extends Switch implements UserCache {

  // By the id's text: the order listings page in.
  private final ConcurrentSkipListMap<String, UserRecord> records = new ConcurrentSkipListMap<>();
  private final AtomicInteger reads = new AtomicInteger();
  private final AtomicInteger writes = new AtomicInteger();
  private final AtomicInteger batches = new AtomicInteger();

  @Override
  public UserRecord read(UserId id) {
    reads.incrementAndGet();
    failIfDown();
    return records.getOrDefault(id.toString(), UserRecord.MISSING);
  }

  @Override
  public boolean apply(UserEvent event) {
    writes.incrementAndGet(); // an attempt counts, even one the cache being down refuses
    failIfDown();
    boolean[] applied = {false};
    records.compute(event.userId().toString(), (id, stored) -> {
      Optional<UserRecord> next = (stored == null ? UserRecord.MISSING : stored).after(event);
      applied[0] = next.isPresent();
      return next.orElse(stored);
    });
    UserRecord.ofIdentity(event).ifPresent(identityRecord -> records.compute(identityId(identityRecord), (id, stored) -> {
      Optional<UserRecord> next = (stored == null ? UserRecord.MISSING : stored).afterIdentity(event);
      applied[0] |= next.isPresent();
      return next.orElse(stored);
    }));
    return applied[0];
  }

  @Override
  public List<Boolean> applyAll(List<UserEvent> events) {
    batches.incrementAndGet();
    return UserCache.super.applyAll(events);
  }

  @Override
  public UserPage list(UserQuery query) {
    reads.incrementAndGet();
    failIfDown();
    var after = query.after().map(id -> records.tailMap(id.toString(), false)).orElse(records);
    return UserPage.firstOf(after.values(), query);
  }

  /** Stores a user directly, as if an earlier event had. */
  public void preload(User user) {
    records.put(user.id().toString(),
        UserRecord.of(new UserCreated(new UUID(0, user.version()), user.createdAt(), user)));
  }

  /** Stores any record directly (a tombstone, say). */
  public void preload(UserId id, UserRecord record) {
    records.put(id.toString(), record);
  }

  public int size() {
    return (int) records.values().stream().filter(record -> record.activeUser().isPresent()).count();
  }

  public int reads() {
    return reads.get();
  }

  /** How many writes were attempted, successful or not. */
  public int writes() {
    return writes.get();
  }

  /** How many times a batch of events was handed over at once. */
  public int batches() {
    return batches.get();
  }

  private void failIfDown() {
    if (isDown()) {
      throw new CacheUnavailable("in-memory cache is down (test)");
    }
  }

  /** For tests that need a revision by hand. */
  public static Revision revision(long version, Revision.Kind kind) {
    return new Revision(version, kind, new UUID(0, version));
  }

  private static String identityId(UserRecord record) {
    return switch (record) {
      case UserRecord.Linked link -> link.id().toString();
      case UserRecord.Erased erased -> erased.id().toString();
      default -> throw new IllegalArgumentException("not an identity record: " + record);
    };
  }
}
