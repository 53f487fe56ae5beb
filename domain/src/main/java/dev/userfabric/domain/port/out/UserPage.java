package dev.userfabric.domain.port.out;

import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.model.UserRecord;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Users in ascending order of id, and where the next page starts (empty on the last page). A
 * page may hold fewer users than asked for and still not be the last.
 */
public record UserPage(List<User> users, Optional<UserId> next) {

  public UserPage {
    users = List.copyOf(users);
    Objects.requireNonNull(next, "next must not be null");
  }

  /**
   * The page a query asks for, from records already in ascending order of id and past the
   * query's cursor: the users among them (tombstones skipped) of the query's issuer, up to its
   * limit. For stores that hold everything in one ordered map.
   */
  public static UserPage firstOf(Collection<UserRecord> recordsAfterCursor, UserQuery query) {
    List<User> users = recordsAfterCursor.stream()
        .flatMap(record -> record.activeUser().stream())
        .filter(user -> query.issuer().map(user.identity().issuer()::equals).orElse(true))
        .limit(query.limit())
        .toList();
    boolean full = users.size() == query.limit();
    return new UserPage(users, full ? Optional.of(users.getLast().id()) : Optional.empty());
  }
}
