package dev.userfabric.domain.port.out;

import dev.userfabric.domain.model.UserId;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a listing.
 *
 * @param issuer only users of this issuer, when present
 * @param after the last id of the previous page (the cursor), when not the first page
 * @param limit at most this many users
 */
public record UserQuery(Optional<String> issuer, Optional<UserId> after, int limit) {

  public UserQuery {
    Objects.requireNonNull(issuer, "issuer must not be null");
    Objects.requireNonNull(after, "after must not be null");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
  }
}
