package dev.userfabric.domain.port.in;

import dev.userfabric.domain.model.AccessToken;
import java.util.Objects;

/**
 * Read one user by id, as the caller sent it; empty means the caller's own user. The id is read
 * only once the caller may read it.
 */
public record GetUserCommand(AccessToken accessToken, String userId) {

  public GetUserCommand {
    Objects.requireNonNull(accessToken, "accessToken must not be null");
    Objects.requireNonNull(userId, "userId must not be null");
  }
}
