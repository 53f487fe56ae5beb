package dev.userfabric.adapter.event;

/**
 * The names our events travel under. Other services bind their own queues to {@link #exchange()}
 * with {@link #routingKey()}; {@link #queue()} is the event driver's own.
 */
public record EventTopology(
    String exchange, String routingKey, String queue, String deadLetterExchange, String deadLetterQueue) {

  public static EventTopology defaults() {
    return withPrefix("");
  }

  /** The default names behind a prefix, so test runs on a shared broker never meet. */
  public static EventTopology withPrefix(String prefix) {
    return new EventTopology(
        prefix + "userfabric.events",
        "user.created",
        prefix + "userfabric.user-created",
        prefix + "userfabric.dead-letter",
        prefix + "userfabric.user-created.dlq");
  }
}
