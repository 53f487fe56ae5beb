package dev.userfabric.domain.model;

/** The broker did not confirm the UserCreated event (unreachable, nack, unroutable, timeout). */
public final class EventPublishFailed extends UserFabricFailure {

  public EventPublishFailed(String message) {
    super(message, null);
  }

  public EventPublishFailed(String message, Throwable cause) {
    super(message, cause);
  }
}
