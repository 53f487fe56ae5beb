package dev.userfabric.domain.model;

/** The user cache could not be read or written in time; retrying may help. */
public final class CacheUnavailable extends UserFabricFailure {

  public CacheUnavailable(String message) {
    super(message, null);
  }

  public CacheUnavailable(String message, Throwable cause) {
    super(message, cause);
  }
}
