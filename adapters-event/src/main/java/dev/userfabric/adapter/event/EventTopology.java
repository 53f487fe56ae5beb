package dev.userfabric.adapter.event;

import java.util.List;

/**
 * The names our events travel under. Other services bind their own queues to {@link #exchange()}
 * with the routing keys {@link #CREATED_KEY}, {@link #UPDATED_KEY}, {@link #DELETED_KEY},
 * {@link #LINKED_KEY}, {@link #UNLINKED_KEY} (or {@code user.*}); {@link #queue()} is the event
 * driver's own, bound to all of them (its name is
 * from when it took creations only, kept so that an upgrade loses no queued event);
 * {@link #log()} is the stream that keeps every event for replay.
 */
public record EventTopology(
    String exchange, String queue, String deadLetterExchange, String deadLetterQueue, String log) {

  public static final String CREATED_KEY = "user.created";
  public static final String UPDATED_KEY = "user.updated";
  public static final String DELETED_KEY = "user.deleted";
  public static final String LINKED_KEY = "user.identity-linked";
  public static final String UNLINKED_KEY = "user.identity-unlinked";
  public static final List<String> ROUTING_KEYS = List.of(CREATED_KEY, UPDATED_KEY, DELETED_KEY, LINKED_KEY,
      UNLINKED_KEY);

  public static EventTopology defaults() {
    return withPrefix("");
  }

  /** The default names behind a prefix, so test runs on a shared broker never meet. */
  public static EventTopology withPrefix(String prefix) {
    return new EventTopology(
        prefix + "userfabric.events",
        prefix + "userfabric.user-created",
        prefix + "userfabric.dead-letter",
        prefix + "userfabric.user-created.dlq",
        prefix + "userfabric.events.log");
  }
}
