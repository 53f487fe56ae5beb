package dev.userfabric.domain.service;

import java.util.Objects;
import java.util.Optional;

/**
 * Which scopes the calls need.
 *
 * @param createUserScope the scope a token must grant to create its user; empty means any user
 *     token will do
 * @param adminScope the scope that lets a token revoke other users' tokens and erase other users
 * @param readScope the scope that lets a token read users other than its own
 */
public record AccessPolicy(Optional<String> createUserScope, String adminScope, String readScope) {

  public AccessPolicy {
    Objects.requireNonNull(createUserScope, "createUserScope must not be null");
    createUserScope = createUserScope.filter(scope -> !scope.isBlank());
    if (adminScope == null || adminScope.isBlank()) {
      throw new IllegalArgumentException("adminScope must be set");
    }
    if (readScope == null || readScope.isBlank()) {
      throw new IllegalArgumentException("readScope must be set");
    }
  }

  /** Reading other users takes the admin scope. */
  public AccessPolicy(Optional<String> createUserScope, String adminScope) {
    this(createUserScope, adminScope, adminScope);
  }
}
