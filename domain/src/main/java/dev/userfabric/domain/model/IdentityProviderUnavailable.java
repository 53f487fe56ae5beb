package dev.userfabric.domain.model;

/** The identity provider could not be reached or answered with an error; retrying may help. */
public final class IdentityProviderUnavailable extends UserFabricFailure {

  public IdentityProviderUnavailable(String message) {
    super(message, null);
  }

  public IdentityProviderUnavailable(String message, Throwable cause) {
    super(message, cause);
  }
}
