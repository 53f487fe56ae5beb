package dev.userfabric.domain.model;

/**
 * Whether a token is revoked could not be found out, or a revocation could not be recorded.
 * Access is refused rather than granted blind; retrying may help.
 */
public final class RevocationListUnavailable extends UserFabricFailure {

  public RevocationListUnavailable(String message, Throwable cause) {
    super(message, cause);
  }
}
