package dev.userfabric.domain.port.in;

import dev.userfabric.domain.model.AccessToken;
import java.util.Objects;

/**
 * Erase a user by id, as the caller sent it; empty means the caller's own user. Erasing another
 * user needs the admin scope, and the id is read only once the caller has it.
 */
public record DeleteUserCommand(AccessToken accessToken, String userId) {

  public DeleteUserCommand {
    Objects.requireNonNull(accessToken, "accessToken must not be null");
    Objects.requireNonNull(userId, "userId must not be null");
  }
}
