package dev.userfabric.domain.model;

/** No user is stored under the id asked for (never created, erased, or not yet stored). */
public final class UserNotFound extends UserFabricFailure {

  public UserNotFound(String message) {
    super(message, null);
  }
}
