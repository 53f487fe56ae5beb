package dev.userfabric.adapter.cache;

import dev.userfabric.domain.model.UserEvent;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.model.UserRecord;
import dev.userfabric.domain.port.out.UserCache;
import dev.userfabric.domain.port.out.UserPage;
import dev.userfabric.domain.port.out.UserQuery;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The embedded stand-in for Redis: users in this process's memory, lost on exit. For running the
 * service with nothing installed, not for production. Tombstones are kept as long as the process
 * runs.
 */
public final class InProcessUserCache implements UserCache {

  // By the id's text, the order listings page in.
  private final ConcurrentSkipListMap<String, UserRecord> records = new ConcurrentSkipListMap<>();

  @Override
  public UserRecord read(UserId id) {
    return records.getOrDefault(id.toString(), UserRecord.MISSING);
  }

  @Override
  public boolean apply(UserEvent event) {
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
  public UserPage list(UserQuery query) {
    var after = query.after().map(id -> records.tailMap(id.toString(), false)).orElse(records);
    return UserPage.firstOf(after.values(), query);
  }

  private static String identityId(UserRecord record) {
    return switch (record) {
      case UserRecord.Linked link -> link.id().toString();
      case UserRecord.Erased erased -> erased.id().toString();
      default -> throw new IllegalArgumentException("not an identity record: " + record);
    };
  }
}
