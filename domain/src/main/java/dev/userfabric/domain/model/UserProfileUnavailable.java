package dev.userfabric.domain.model;

/** The identity provider answered, but with a profile we must not use (wrong subject, unreadable). */
public final class UserProfileUnavailable extends UserFabricFailure {

  public UserProfileUnavailable(String message) {
    super(message, null);
  }

  public UserProfileUnavailable(String message, Throwable cause) {
    super(message, cause);
  }
}
