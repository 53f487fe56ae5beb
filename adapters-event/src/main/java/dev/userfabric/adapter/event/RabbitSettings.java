package dev.userfabric.adapter.event;

import java.time.Duration;
import java.util.Objects;

/**
 * How to reach RabbitMQ and how patient to be with it.
 *
 * @param uri an AMQP URI, e.g. {@code amqp://guest:guest@127.0.0.1:5672/%2F}
 * @param topology exchange and queue names
 * @param confirmTimeout how long a publish waits for the broker's confirm; keep it below the
 *     callers' deadlines
 * @param prefetch unacknowledged deliveries the consumer may hold
 */
public record RabbitSettings(String uri, EventTopology topology, Duration confirmTimeout, int prefetch) {

  public RabbitSettings {
    Objects.requireNonNull(uri, "uri must not be null");
    Objects.requireNonNull(topology, "topology must not be null");
    Objects.requireNonNull(confirmTimeout, "confirmTimeout must not be null");
    if (prefetch < 1) {
      throw new IllegalArgumentException("prefetch must be at least 1");
    }
  }

  public static RabbitSettings of(String uri, EventTopology topology) {
    return new RabbitSettings(uri, topology, Duration.ofSeconds(5), 32);
  }
}
