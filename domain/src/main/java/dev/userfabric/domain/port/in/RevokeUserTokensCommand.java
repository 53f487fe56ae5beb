package dev.userfabric.domain.port.in;

import dev.userfabric.domain.model.AccessToken;
import java.util.Objects;

/**
 * An administrator, by their token, asks to revoke every token the user holds now. The user id
 * is taken as the caller sent it: it is read only once the caller is known to be an
 * administrator, so a stranger learns nothing, not even how ids look.
 */
public record RevokeUserTokensCommand(AccessToken administratorToken, String userId) {

  public RevokeUserTokensCommand {
    Objects.requireNonNull(administratorToken, "administratorToken must not be null");
    Objects.requireNonNull(userId, "userId must not be null");
  }
}
