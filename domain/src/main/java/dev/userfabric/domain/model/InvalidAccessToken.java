package dev.userfabric.domain.model;

import java.util.Objects;

/**
 * The access token was refused: malformed, badly signed, not meant for us, expired or revoked.
 * Only {@link Reason#EXPIRED} and {@link Reason#REVOKED} tell the caller more than "invalid", and
 * only once the signature has been checked, so the reason is no oracle for forgers.
 */
public final class InvalidAccessToken extends UserFabricFailure {

  /** What a client may be told and act upon (refresh, sign in again). */
  public enum Reason { INVALID, EXPIRED, REVOKED }

  private final Reason reason;

  public InvalidAccessToken(String message) {
    this(Reason.INVALID, message, null);
  }

  public InvalidAccessToken(String message, Throwable cause) {
    this(Reason.INVALID, message, cause);
  }

  public InvalidAccessToken(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason must not be null");
  }

  public Reason reason() {
    return reason;
  }
}
