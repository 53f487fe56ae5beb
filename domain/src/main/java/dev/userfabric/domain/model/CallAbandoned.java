package dev.userfabric.domain.model;

/** The caller gave up (cancelled, or its deadline passed) before the use case could finish. */
public final class CallAbandoned extends UserFabricFailure {

  public enum Reason { CANCELLED, DEADLINE_EXCEEDED }

  private final Reason reason;

  public CallAbandoned(Reason reason, String message) {
    super(message, null);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
