package dev.userfabric.domain.model;

import java.util.Objects;

/** The token is genuine but does not allow what was asked. */
public final class AccessDenied extends UserFabricFailure {

  public enum Reason {
    /** The token lacks a scope the call requires. */
    INSUFFICIENT_SCOPE,
    /** The token names a client, not a person (a client-credentials token). */
    NOT_A_USER_TOKEN,
    /** The identity provider itself refused to describe the user (userinfo answered 403). */
    REFUSED_BY_IDENTITY_PROVIDER
  }

  private final Reason reason;

  public AccessDenied(Reason reason, String message) {
    super(message, null);
    this.reason = Objects.requireNonNull(reason, "reason must not be null");
  }

  public Reason reason() {
    return reason;
  }
}
