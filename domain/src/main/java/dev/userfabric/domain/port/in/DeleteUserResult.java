package dev.userfabric.domain.port.in;

import dev.userfabric.domain.model.UserDeleted;
import java.time.Instant;
import java.util.Objects;

/** The erasure as published, and the instant before which every token of the user is refused. */
public record DeleteUserResult(UserDeleted event, Instant tokensRevokedBefore) {

  public DeleteUserResult {
    Objects.requireNonNull(event, "event must not be null");
    Objects.requireNonNull(tokensRevokedBefore, "tokensRevokedBefore must not be null");
  }
}
