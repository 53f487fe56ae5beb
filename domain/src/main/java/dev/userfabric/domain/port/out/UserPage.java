package dev.userfabric.domain.port.out;

import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserId;
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
}
