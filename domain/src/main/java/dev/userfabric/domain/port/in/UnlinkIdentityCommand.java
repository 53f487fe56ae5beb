package dev.userfabric.domain.port.in;

import dev.userfabric.domain.model.AccessToken;
import java.util.Objects;

/** Detach a linked identity from a user (an administrator's call), as the caller sent it. */
public record UnlinkIdentityCommand(AccessToken accessToken, String userId, String issuer, String subject) {

  public UnlinkIdentityCommand {
    Objects.requireNonNull(accessToken, "accessToken must not be null");
    Objects.requireNonNull(userId, "userId must not be null");
    Objects.requireNonNull(issuer, "issuer must not be null");
    Objects.requireNonNull(subject, "subject must not be null");
  }
}
