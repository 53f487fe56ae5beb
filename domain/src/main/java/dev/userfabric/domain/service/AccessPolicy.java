package dev.userfabric.domain.service;

import java.util.Objects;
import java.util.Optional;

/**
 * Which scopes the calls need.
 *
 * @param createUserScope the scope a token must grant to create its user; empty means any user
 *     token will do
 * @param adminScope the scope that lets a token revoke other users' tokens
 */
public record AccessPolicy(Optional<String> createUserScope, String adminScope) {

  public AccessPolicy {
    Objects.requireNonNull(createUserScope, "createUserScope must not be null");
    createUserScope = createUserScope.filter(scope -> !scope.isBlank());
    if (adminScope == null || adminScope.isBlank()) {
      throw new IllegalArgumentException("adminScope must be set");
    }
  }
}
