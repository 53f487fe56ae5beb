package dev.userfabric.domain.port.in;

import dev.userfabric.domain.model.User;
import java.util.Objects;

/**
 * The caller's user, whether this call created it (and so published UserCreated), and whether it
 * joined the caller's identity to an existing user (and so published IdentityLinked).
 */
public record CreateUserResult(User user, boolean created, boolean linked) {

  public CreateUserResult {
    Objects.requireNonNull(user, "user must not be null");
  }

  public static CreateUserResult created(User user) {
    return new CreateUserResult(user, true, false);
  }

  public static CreateUserResult existing(User user) {
    return new CreateUserResult(user, false, false);
  }

  public static CreateUserResult linked(User user) {
    return new CreateUserResult(user, false, true);
  }
}
