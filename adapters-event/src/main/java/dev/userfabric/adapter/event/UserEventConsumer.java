package dev.userfabric.adapter.event;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import dev.userfabric.adapter.event.RetryingApply.Outcome;
import dev.userfabric.domain.model.UserEvent;
import dev.userfabric.domain.port.in.ApplyUserEventResult;
import dev.userfabric.domain.port.in.ApplyUserEventUseCase;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event driver: takes user events from the driver's queue and applies them to the store,
 * acknowledging only after the write. This class keeps the consumers' channels; applying with
 * retries is {@link RetryingApply}'s job and parking what can never succeed (undecodable, invalid,
 * a corrupt stored record) with the reason is {@link DeadLetters}'.
 *
 * <p>Runs {@code consumers} consumers, each on its own channel; several processes may consume the
 * same queue. Closing stops taking deliveries, lets a write in progress finish and be
 * acknowledged, and hands every other delivery back to the queue.
 */
public final class UserEventConsumer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(UserEventConsumer.class);
  private static final Duration REOPEN_PAUSE = Duration.ofMillis(200);
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

  private final RabbitConnection connection;
  private final RabbitSettings settings;
  private final EventMetrics metrics;
  private final EventTracing tracing;
  private final RetryingApply retrying;
  private final DeadLetters deadLetters;
  private final ScheduledExecutorService reopening = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().daemon().name("user-created-consumer").factory());
  private final Map<Integer, Delivery> consumers = new ConcurrentHashMap<>(); // by slot
  // Each delivery is stored on a virtual thread of its own, so a consumer works on its whole
  // prefetch at once instead of one Redis round trip after another; prefetch bounds how many.
  private final ExecutorService workers =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("user-created-", 0).factory());
  private final CountDownLatch closing = new CountDownLatch(1);
  private final AtomicInteger handling = new AtomicInteger();

  public UserEventConsumer(RabbitConnection connection, ApplyUserEventUseCase applyUserEvent) {
    this(connection, applyUserEvent, EventMetrics.UNREGISTERED.registry());
  }

  /** @param registry where {@code userfabric.events.handled} is counted */
  public UserEventConsumer(RabbitConnection connection, ApplyUserEventUseCase applyUserEvent,
      MeterRegistry registry) {
    this(connection, applyUserEvent, registry, OpenTelemetry.noop());
  }

  /** @param openTelemetry where each delivery's span goes, continuing the publisher's trace */
  public UserEventConsumer(RabbitConnection connection, ApplyUserEventUseCase applyUserEvent,
      MeterRegistry registry, OpenTelemetry openTelemetry) {
    this.tracing = new EventTracing(openTelemetry);
    this.metrics = new EventMetrics(registry);
    this.connection = connection;
    this.settings = connection.settings();
    this.retrying = new RetryingApply(applyUserEvent, settings.retry(), closing);
    this.deadLetters = new DeadLetters(settings);
  }

  /** Starts consuming once the broker is reachable, and again after every recovery. */
  public void start() {
    connection.whenConnected(this::openAll);
    // Not on the recovery thread: the client recovers nothing else until its listeners return.
    connection.whenRecovered(() -> reopening.execute(this::consumeAgainAll));
  }

  // The client recovered each channel (prefetch and confirm mode included) but, with its topology
  // recovery off, consumes nothing on it: consume again now that the queue is declared.
  private void consumeAgainAll() {
    consumers.forEach((slot, consumer) -> {
      try {
        consumer.getChannel().basicConsume(settings.topology().queue(), false, tag(slot), consumer);
        log.info("consumer {} on {} again", slot, settings.topology().queue());
      } catch (IOException | RuntimeException e) {
        log.warn("consumer {} cannot consume again ({}); reopening", slot, e.toString());
        consumers.remove(slot, consumer);
        consumer.abandon();
        reopening.schedule(() -> open(slot), REOPEN_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
      }
    });
  }

  private static String tag(int slot) {
    return "userfabric-driver-" + slot;
  }

  private void openAll() {
    for (int i = 0; i < settings.consumers(); i++) {
      int slot = i;
      reopening.execute(() -> open(slot));
    }
  }

  private void open(int slot) {
    if (isClosing()) {
      return;
    }
    try {
      Channel channel = connection.openChannel();
      channel.basicQos(settings.prefetch());
      channel.confirmSelect(); // for parking messages in the dead-letter queue
      Delivery consumer = new Delivery(slot, channel);
      channel.addShutdownListener(cause -> reopenIfLost(slot, consumer, cause));
      channel.basicConsume(settings.topology().queue(), false, tag(slot), consumer);
      Delivery replaced = consumers.put(slot, consumer);
      if (replaced != null) {
        replaced.abandon(); // one consumer a slot, whoever reopened it
      }
      log.info("consumer {} on {}", slot, settings.topology().queue());
    } catch (IOException | RuntimeException e) {
      log.warn("consumer {} cannot start yet ({}); retrying in {} ms", slot, e.toString(), REOPEN_PAUSE.toMillis());
      reopening.schedule(() -> open(slot), REOPEN_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  // A lost connection is recovered by the connection, and whenRecovered opens new consumers. A
  // channel the broker closed (a channel error, a consumer timeout) is not: open a new one.
  private void reopenIfLost(int slot, Delivery consumer, ShutdownSignalException cause) {
    if (cause.isHardError() || cause.isInitiatedByApplication() || isClosing()) {
      return;
    }
    log.warn("consumer {} channel closed by the broker ({}); reopening", slot, cause.getMessage());
    consumers.remove(slot, consumer);
    reopening.schedule(() -> open(slot), REOPEN_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
  }

  private boolean isClosing() {
    return closing.getCount() == 0;
  }

  @Override
  public void close() throws InterruptedException {
    closing.countDown();
    reopening.shutdownNow();
    // A consumer being opened right now would register after the loops below and keep consuming:
    // let it finish first (open() does nothing once closing has begun).
    reopening.awaitTermination(DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    consumers.values().forEach(Delivery::cancel);
    long until = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
    while (handling.get() > 0 && System.nanoTime() < until) {
      Thread.sleep(10); // a write in progress finishes and is acknowledged
    }
    consumers.values().forEach(Delivery::handBackAndClose);
    workers.shutdownNow();
  }

  @FunctionalInterface
  private interface Settle {
    void run() throws IOException;
  }

  private final class Delivery extends DefaultConsumer {

    private final int slot;
    private final InOrderAcks acks;

    Delivery(int slot, Channel channel) {
      super(channel);
      this.slot = slot;
      this.acks = new InOrderAcks(channel);
    }

    @Override
    public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
        byte[] body) {
      handling.incrementAndGet();
      acks.received(envelope.getDeliveryTag());
      workers.execute(() -> {
        try {
          handle(envelope.getDeliveryTag(), properties, body);
        } catch (IOException | RuntimeException e) {
          // The ack (or nack) could not be sent: the channel is gone, and the broker redelivers.
          log.debug("delivery {} not settled: {}", envelope.getDeliveryTag(), e.toString());
        } finally {
          handling.decrementAndGet();
        }
      });
    }

    private void handle(long tag, AMQP.BasicProperties properties, byte[] body) throws IOException {
      UserEvent event;
      try {
        event = UserEventCodec.decode(properties.getType(), body);
      } catch (IllegalArgumentException e) {
        metrics.handled("unknown", "parked");
        park(tag, properties, body, "undecodable: " + e.getMessage());
        return;
      }
      int connectedSince = connection.recoveries();
      // A delivery made on a connection since lost is the broker's again: it has requeued it.
      Outcome outcome = tracing.consume(properties, settings.topology().queue(), () -> retrying.apply(event,
          () -> connection.recoveries() == connectedSince && getChannel().isOpen()));
      switch (outcome) {
        case Outcome.Done done -> {
          acks.done(tag); // a lost channel throws: redelivered
          metrics.handled(event, done.result() == ApplyUserEventResult.APPLIED ? "applied" : "stale");
        }
        case Outcome.Park park -> {
          metrics.handled(event, "parked");
          park(tag, properties, body, park.reason());
        }
        case Outcome.GiveBack giveBack -> settleAlone(tag, () -> getChannel().basicNack(tag, false, true));
        case Outcome.Lost lost -> acks.lost(tag);
      }
    }

    private void park(long tag, AMQP.BasicProperties properties, byte[] body, String reason) throws IOException {
      settleAlone(tag, () -> deadLetters.park(getChannel(), tag, properties, body, reason));
    }

    // A later ack covers every delivery before it: one that could not be settled by itself must
    // not be acked with them, so its channel goes (if it has not already) and the broker requeues
    // everything the channel held.
    private void settleAlone(long tag, Settle settle) throws IOException {
      try {
        settle.run();
      } catch (IOException | RuntimeException e) {
        replace(); // closed first: no ack on this channel may cover the delivery now
        acks.lost(tag);
        throw e;
      }
      acks.settledAlone(tag);
    }

    /** Closes this consumer's channel and opens another in its slot. */
    private void replace() {
      abandon();
      if (consumers.remove(slot, this)) {
        reopening.schedule(() -> open(slot), REOPEN_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
      }
    }

    /** Stops a consumer whose channel belonged to a lost connection. */
    void abandon() {
      try {
        getChannel().abort();
      } catch (IOException | RuntimeException e) {
        log.debug("abandoning consumer channel: {}", e.toString());
      }
    }

    void cancel() {
      try {
        if (getChannel().isOpen() && getConsumerTag() != null) {
          getChannel().basicCancel(getConsumerTag());
        }
      } catch (IOException | RuntimeException e) {
        log.debug("cancel failed: {}", e.toString());
      }
    }

    /** Returns what this channel still holds to the queue, then closes it. */
    void handBackAndClose() {
      Channel channel = getChannel();
      try {
        if (channel.isOpen()) {
          channel.basicNack(0, true, true);
          channel.close();
        }
      } catch (IOException | TimeoutException | RuntimeException e) {
        log.debug("closing consumer channel: {}", e.toString()); // the broker requeues what it held
      }
    }
  }
}
