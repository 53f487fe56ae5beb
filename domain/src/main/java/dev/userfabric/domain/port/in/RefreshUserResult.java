package dev.userfabric.domain.port.in;

import dev.userfabric.domain.model.User;
import java.util.Objects;
import java.util.Set;

/**
 * The user after the refresh, and the claims that changed; none changed means nothing was
 * published and the user is as stored.
 */
public record RefreshUserResult(User user, Set<String> changedFields) {

  public RefreshUserResult {
    Objects.requireNonNull(user, "user must not be null");
    changedFields = Set.copyOf(changedFields);
  }

  public boolean changed() {
    return !changedFields.isEmpty();
  }
}
