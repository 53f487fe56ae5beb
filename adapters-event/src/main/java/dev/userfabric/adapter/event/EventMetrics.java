package dev.userfabric.adapter.event;

import dev.userfabric.domain.model.UserEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The events' counters: {@code userfabric.events.published} by {@code type} and {@code outcome}
 * (confirmed, failed) and {@code userfabric.events.handled} by {@code type} and {@code outcome}
 * (applied, stale: something as new was stored, parked: dead-lettered), and the timer
 * {@code userfabric.events.publish} (from the publish to the broker's answer, by {@code type} and
 * {@code outcome}), a created user's wait for its confirm. Types are the protobuf
 * message names without the package (UserCreated...), or "unknown" for what could not be decoded.
 */
final class EventMetrics {

  /** Counts nowhere a scrape can see, for adapters built without a registry (tests, embedders). */
  static final EventMetrics UNREGISTERED = new EventMetrics(Metrics.globalRegistry);

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  EventMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  MeterRegistry registry() {
    return registry;
  }

  void published(UserEvent event, boolean confirmed, long tookNanos) {
    String type = typeOf(event);
    String outcome = confirmed ? "confirmed" : "failed";
    count("userfabric.events.published", type, outcome, "events offered to the broker, by whether it confirmed them");
    timers.computeIfAbsent(type + '\0' + outcome, key -> Timer.builder("userfabric.events.publish")
        .tag("type", type).tag("outcome", outcome)
        .description("a publish, from sending the event to the broker's confirm (or the failure)")
        .register(registry)).record(tookNanos, TimeUnit.NANOSECONDS);
  }

  void handled(UserEvent event, String outcome) {
    handled(typeOf(event), outcome);
  }

  void handled(String type, String outcome) {
    count("userfabric.events.handled", type, outcome, "events the driver took from its queue, by what came of them");
  }

  static String typeOf(UserEvent event) {
    String type = UserEventCodec.type(event);
    return type.substring(type.lastIndexOf('.') + 1);
  }

  private void count(String name, String type, String outcome, String description) {
    counters.computeIfAbsent(name + '\0' + type + '\0' + outcome, key -> Counter.builder(name)
        .tag("type", type).tag("outcome", outcome).description(description).register(registry)).increment();
  }
}
