package dev.userfabric.domain.port.in;

import dev.userfabric.domain.model.AccessToken;
import java.util.Objects;

/** Read one user by their identity at an issuer. */
public record LookupUserCommand(AccessToken accessToken, String issuer, String subject) {

  public LookupUserCommand {
    Objects.requireNonNull(accessToken, "accessToken must not be null");
    Objects.requireNonNull(issuer, "issuer must not be null");
    Objects.requireNonNull(subject, "subject must not be null");
  }
}
