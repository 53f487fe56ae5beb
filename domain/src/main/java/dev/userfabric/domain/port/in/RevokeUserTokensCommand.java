package dev.userfabric.domain.port.in;

import dev.userfabric.domain.model.AccessToken;
import dev.userfabric.domain.model.UserId;
import java.util.Objects;

/** An administrator, by their token, asks to revoke every token the user holds now. */
public record RevokeUserTokensCommand(AccessToken administratorToken, UserId user) {

  public RevokeUserTokensCommand {
    Objects.requireNonNull(administratorToken, "administratorToken must not be null");
    Objects.requireNonNull(user, "user must not be null");
  }
}
