package dev.userfabric.domain.port.in;

import dev.userfabric.domain.model.AccessToken;
import java.util.Objects;

/** A request to create (or fetch) the user the access token speaks for. */
public record CreateUserCommand(AccessToken accessToken) {

  public CreateUserCommand {
    Objects.requireNonNull(accessToken, "accessToken must not be null");
  }
}
