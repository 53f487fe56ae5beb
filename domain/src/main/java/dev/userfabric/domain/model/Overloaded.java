package dev.userfabric.domain.model;

/**
 * A bounded resource (in-flight publishes, a request queue) is full. Refusing at once keeps
 * memory flat under a burst; the caller may retry shortly.
 */
public final class Overloaded extends UserFabricFailure {

  public Overloaded(String message) {
    super(message, null);
  }
}
