package dev.userfabric.domain.port.in;

import dev.userfabric.domain.model.AccessToken;
import java.util.Objects;

/** The caller asks for their own profile to be fetched again. */
public record RefreshUserCommand(AccessToken accessToken) {

  public RefreshUserCommand {
    Objects.requireNonNull(accessToken, "accessToken must not be null");
  }
}
