package dev.userfabric.domain.model;

/** A user or event failed validation; it can never succeed as it is. */
public final class InvalidUserData extends UserFabricFailure {

  public InvalidUserData(String message) {
    super(message, null);
  }

  public InvalidUserData(String message, Throwable cause) {
    super(message, cause);
  }
}
