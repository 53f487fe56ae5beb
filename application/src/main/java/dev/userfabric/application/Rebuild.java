package dev.userfabric.application;

import dev.userfabric.adapter.event.EventLogReplay;
import dev.userfabric.adapter.event.RabbitConnection;
import dev.userfabric.domain.port.in.ApplyUserEventUseCase;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.exceptions.ConfigurationException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code userfabric rebuild}: replays the event log into the configured store, then exits. On an
 * empty store it yields the users as they were; on a store that holds users it changes only what
 * the log has newer. Serves no gRPC and consumes no driver queue.
 */
final class Rebuild {

  static final String FROM = "userfabric.rebuild.from";
  static final String IDLE = "userfabric.rebuild.idle";

  private Rebuild() {}

  /** @return the exit status */
  static int run(ApplicationContext context) throws IOException, InterruptedException {
    Optional<Instant> from = context.getProperty(FROM, String.class).map(Rebuild::instant);
    Duration idle = context.getProperty(IDLE, Duration.class).orElse(Duration.ofSeconds(2));
    RabbitConnection connection = context.getBean(RabbitConnection.class);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!connection.isReady()) {
      if (System.nanoTime() > deadline) {
        System.err.println("userfabric: rebuild: RabbitMQ cannot be reached");
        return 1;
      }
      Thread.sleep(50);
    }
    EventLogReplay replay = new EventLogReplay(connection, context.getBean(ApplyUserEventUseCase.class));
    System.out.println("rebuild: replaying " + replay.log()
        + from.map(instant -> " from " + instant).orElse(" from its first offset") + " into the store");
    EventLogReplay.Result result = replay.replay(from, idle);
    System.out.printf(Locale.ROOT, "rebuild: %d events read, %d applied, %d already as new, %d unusable, "
            + "in %.1f s (%.0f events/s, the last %s idle)%n",
        result.read(), result.applied(), result.stale(), result.unusable(),
        result.took().toMillis() / 1000.0, result.eventsPerSecond(), idle);
    return result.unusable() == 0 ? 0 : 3;
  }

  private static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new ConfigurationException("--from must be an instant such as 2026-11-01T00:00:00Z, not " + text);
    }
  }
}
