package dev.userfabric.adapter.event;

import com.rabbitmq.client.ConnectionFactory;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach RabbitMQ and how patient to be with it.
 *
 * @param uri an AMQP URI, e.g. {@code amqp://guest:guest@127.0.0.1:5672/%2F}
 * @param topology exchange and queue names
 * @param queueType the kind of queue the driver's queue and the dead-letter queue are
 * @param confirmTimeout how long a publish waits for the broker's confirm (less when the caller's
 *     deadline is nearer)
 * @param maxInFlightPublishes publishes awaiting a confirm at once; beyond it publishing is refused
 *     at once rather than queued
 * @param consumers consumers (each on its own channel) this process runs on the driver's queue;
 *     0 runs none, for a process that only serves gRPC
 * @param prefetch unacknowledged deliveries each consumer may hold
 * @param retry how the consumer retries a delivery it could not store
 * @param log whether to keep every event in a stream for replay, and for how long
 */
public record RabbitSettings(
    String uri,
    EventTopology topology,
    QueueType queueType,
    Duration confirmTimeout,
    int maxInFlightPublishes,
    int consumers,
    int prefetch,
    ConsumerRetry retry,
    EventLog log) {

  /**
   * The stream {@link EventTopology#log()} that keeps every event, bound to the exchange for
   * every routing key. Empty limits mean unlimited; with both unlimited the log holds every user
   * ever published and a store can always be rebuilt from it.
   *
   * @param maxAge RabbitMQ's {@code x-max-age}, e.g. {@code 30D}, {@code 12h} (units Y M D h m s)
   * @param maxBytes {@code x-max-length-bytes}: the oldest segments go beyond it
   */
  public record EventLog(boolean enabled, Optional<String> maxAge, Optional<Long> maxBytes) {

    public EventLog {
      Objects.requireNonNull(maxAge, "maxAge must not be null");
      Objects.requireNonNull(maxBytes, "maxBytes must not be null");
      maxAge.ifPresent(age -> {
        if (!age.matches("[1-9][0-9]*[YMDhms]")) {
          throw new IllegalArgumentException("log max age must be a positive number and a unit (Y M D h m s), not " + age);
        }
      });
      maxBytes.ifPresent(bytes -> {
        if (bytes < 1) {
          throw new IllegalArgumentException("log max bytes must be positive");
        }
      });
    }

    public static EventLog unlimited() {
      return new EventLog(true, Optional.empty(), Optional.empty());
    }

    public static EventLog none() {
      return new EventLog(false, Optional.empty(), Optional.empty());
    }
  }

  public enum QueueType {
    /** Replicated, durable, counts redeliveries: the default. */
    QUORUM,
    /** For brokers or policies without quorum queues. */
    CLASSIC
  }

  /**
   * @param firstPause pause before the first retry; it doubles up to {@code maxPause}
   * @param maxPause the longest pause between two attempts
   * @param maxAttempts attempts at a delivery that fails for an unexpected reason before it is
   *     dead-lettered; an unreachable store is not the message's fault and never counts
   * @param deliveryLimit deliveries of one message (quorum queues only) after which the broker
   *     dead-letters it: the backstop for a message that kills its consumer
   */
  public record ConsumerRetry(Duration firstPause, Duration maxPause, int maxAttempts, int deliveryLimit) {

    public ConsumerRetry {
      requirePositive("firstPause", firstPause);
      requirePositive("maxPause", maxPause);
      if (maxAttempts < 1 || deliveryLimit < 1) {
        throw new IllegalArgumentException("maxAttempts and deliveryLimit must be at least 1");
      }
    }

    public static ConsumerRetry defaults() {
      return new ConsumerRetry(Duration.ofMillis(100), Duration.ofSeconds(1), 5, 20);
    }
  }

  /** With an unlimited event log. */
  public RabbitSettings(String uri, EventTopology topology, QueueType queueType, Duration confirmTimeout,
      int maxInFlightPublishes, int consumers, int prefetch, ConsumerRetry retry) {
    this(uri, topology, queueType, confirmTimeout, maxInFlightPublishes, consumers, prefetch, retry,
        EventLog.unlimited());
  }

  public RabbitSettings {
    Objects.requireNonNull(log, "log must not be null");
    Objects.requireNonNull(uri, "uri must not be null");
    requireAmqpUri(uri);
    Objects.requireNonNull(topology, "topology must not be null");
    Objects.requireNonNull(queueType, "queueType must not be null");
    requirePositive("confirmTimeout", confirmTimeout);
    Objects.requireNonNull(retry, "retry must not be null");
    if (maxInFlightPublishes < 1) {
      throw new IllegalArgumentException("maxInFlightPublishes must be at least 1");
    }
    if (consumers < 0) {
      throw new IllegalArgumentException("consumers must not be negative");
    }
    if (prefetch < 1) {
      throw new IllegalArgumentException("prefetch must be at least 1");
    }
  }

  public static RabbitSettings of(String uri, EventTopology topology) {
    return new RabbitSettings(uri, topology, QueueType.QUORUM, Duration.ofSeconds(5), 1024, 2, 256,
        ConsumerRetry.defaults());
  }

  public RabbitSettings withConsumers(int count) {
    return new RabbitSettings(uri, topology, queueType, confirmTimeout, maxInFlightPublishes, count, prefetch, retry,
        log);
  }

  public RabbitSettings withRetry(ConsumerRetry newRetry) {
    return new RabbitSettings(uri, topology, queueType, confirmTimeout, maxInFlightPublishes, consumers, prefetch,
        newRetry, log);
  }

  /** Throws IllegalArgumentException, saying why, unless {@code uri} is an AMQP URI. */
  public static void requireAmqpUri(String uri) {
    if (!uri.startsWith("amqp://") && !uri.startsWith("amqps://")) {
      throw new IllegalArgumentException("an AMQP URI starts with amqp:// or amqps://");
    }
    try {
      new ConnectionFactory().setUri(AmqpNodes.of(uri).uri());
    } catch (URISyntaxException | GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException("not an AMQP URI: " + e.getMessage(), e);
    }
  }

  private static void requirePositive(String name, Duration value) {
    Objects.requireNonNull(value, name + " must not be null");
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }
}
