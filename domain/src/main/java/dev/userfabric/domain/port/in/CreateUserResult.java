package dev.userfabric.domain.port.in;

import dev.userfabric.domain.model.User;
import java.util.Objects;

/** The caller's user, and whether this call created it (and so published UserCreated). */
public record CreateUserResult(User user, boolean created) {

  public CreateUserResult {
    Objects.requireNonNull(user, "user must not be null");
  }

  public static CreateUserResult created(User user) {
    return new CreateUserResult(user, true);
  }

  public static CreateUserResult existing(User user) {
    return new CreateUserResult(user, false);
  }
}
