package dev.userfabric.adapter.event;

import dev.userfabric.domain.model.UserEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The events' counters: {@code userfabric.events.published} by {@code type} and {@code outcome}
 * (confirmed, failed) and {@code userfabric.events.handled} by {@code type} and {@code outcome}
 * (applied, stale: something as new was stored, parked: dead-lettered). Types are the protobuf
 * message names without the package (UserCreated...), or "unknown" for what could not be decoded.
 */
final class EventMetrics {

  /** Counts nowhere a scrape can see, for adapters built without a registry (tests, embedders). */
  static final EventMetrics UNREGISTERED = new EventMetrics(Metrics.globalRegistry);

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  EventMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  MeterRegistry registry() {
    return registry;
  }

  void published(UserEvent event, boolean confirmed) {
    count("userfabric.events.published", typeOf(event), confirmed ? "confirmed" : "failed",
        "events offered to the broker, by whether it confirmed them");
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
