package dev.userfabric.domain.model;

/** The identity provider answered, but unusably (not JSON, too large, no subject): its fault, retryable. */
public final class UserProfileUnavailable extends UserFabricFailure {

  public UserProfileUnavailable(String message) {
    super(message, null);
  }

  public UserProfileUnavailable(String message, Throwable cause) {
    super(message, cause);
  }
}
