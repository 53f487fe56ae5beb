package dev.userfabric.domain.port.in;

import dev.userfabric.domain.model.AccessToken;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of all stored users.
 *
 * @param pageSize how many users at most; 0 means the default
 * @param after the id of the last user of the previous page, as the caller's cursor carried it
 * @param issuer only this issuer's users, when present
 */
public record ListUsersCommand(AccessToken accessToken, int pageSize, Optional<String> after,
    Optional<String> issuer) {

  public static final int DEFAULT_PAGE_SIZE = 100;
  public static final int MAX_PAGE_SIZE = 1000;

  public ListUsersCommand {
    Objects.requireNonNull(accessToken, "accessToken must not be null");
    Objects.requireNonNull(after, "after must not be null");
    issuer = Objects.requireNonNull(issuer, "issuer must not be null").filter(text -> !text.isEmpty());
  }
}
