package dev.userfabric.domain.model;

/** The access token was refused: malformed, badly signed, expired, or not meant for us. */
public final class InvalidAccessToken extends UserFabricFailure {

  public InvalidAccessToken(String message) {
    super(message, null);
  }

  public InvalidAccessToken(String message, Throwable cause) {
    super(message, cause);
  }
}
