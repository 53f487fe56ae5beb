package dev.userfabric.adapter.event;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import dev.userfabric.adapter.event.RetryingApply.BatchOutcome;
import dev.userfabric.adapter.event.RetryingApply.Outcome;
import dev.userfabric.domain.model.UserEvent;
import dev.userfabric.domain.port.in.ApplyUserEventResult;
import dev.userfabric.domain.port.in.ApplyUserEventUseCase;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * same queue. A consumer stores what arrived while it stored the last batch as the next one: in one
 * write to the store and, once written, one ack for them all. An event the batch cannot be stored
 * with is then stored alone, so only it is parked or retried. Closing stops taking deliveries,
 * lets a write in progress finish and be
 * acknowledged, and hands every other delivery back to the queue.
 */
public final class UserEventConsumer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(UserEventConsumer.class);
  private static final Duration REOPEN_PAUSE = Duration.ofMillis(200);
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);
  // Redis runs a pipeline's scripts back to back, serving nobody else meanwhile: this many keep
  // that to about a millisecond, and still share one write, one reply wait and one ack.
  static final int MAX_BATCH = 64;

  private final RabbitConnection connection;
  private final RabbitSettings settings;
  private final EventMetrics metrics;
  private final EventTracing tracing;
  private final RetryingApply retrying;
  private final DeadLetters deadLetters;
  private final ScheduledExecutorService reopening = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().daemon().name("user-created-consumer").factory());
  private final Map<Integer, Delivery> consumers = new ConcurrentHashMap<>(); // by slot
  // A consumer's deliveries are stored in batches on a virtual thread, which blocks on the store
  // without holding the channel's dispatch thread; prefetch bounds how many a batch may hold.
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

  /** A delivery taken from the channel, not yet settled. */
  private record Received(long tag, AMQP.BasicProperties properties, byte[] body) {}

  /** A delivery whose event could be read. */
  private record Readable(Received delivery, UserEvent event) {}

  private final class Delivery extends DefaultConsumer {

    private final int slot;
    private final InOrderAcks acks;
    private final ArrayDeque<Received> waiting = new ArrayDeque<>(); // guarded by this
    private boolean storing; // guarded by this: a worker is taking batches off waiting

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
      boolean start;
      synchronized (this) {
        waiting.addLast(new Received(envelope.getDeliveryTag(), properties, body));
        start = !storing;
        storing = true;
      }
      if (start) {
        workers.execute(this::storeWhileWaiting);
      }
    }

    // One batch at a time a channel: what arrives while a batch is stored is the next batch. On a
    // quiet queue a batch is one delivery, stored at once; under a backlog it is what the
    // prefetch let through meanwhile, stored in one write to the store and acked with one frame.
    private void storeWhileWaiting() {
      while (true) {
        List<Received> batch;
        synchronized (this) {
          if (waiting.isEmpty()) {
            storing = false;
            return;
          }
          batch = new ArrayList<>(Math.min(waiting.size(), MAX_BATCH));
          while (!waiting.isEmpty() && batch.size() < MAX_BATCH) {
            batch.add(waiting.removeFirst());
          }
        }
        try {
          store(batch);
        } catch (IOException | RuntimeException e) {
          // The ack (or nack) could not be sent: the channel is gone, and the broker redelivers.
          log.debug("{} deliveries not settled: {}", batch.size(), e.toString());
        } finally {
          handling.addAndGet(-batch.size());
        }
      }
    }

    private void store(List<Received> batch) throws IOException {
      List<Readable> readable = new ArrayList<>(batch.size());
      for (Received delivery : batch) {
        try {
          readable.add(new Readable(delivery, UserEventCodec.decode(delivery.properties().getType(), delivery.body())));
        } catch (IllegalArgumentException e) {
          metrics.handled("unknown", "parked");
          park(delivery, "undecodable: " + e.getMessage());
        }
      }
      if (readable.size() == 1) {
        storeAlone(readable.getFirst());
      } else if (!readable.isEmpty()) {
        storeTogether(readable);
      }
    }

    private void storeTogether(List<Readable> batch) throws IOException {
      List<AMQP.BasicProperties> properties = batch.stream().map(each -> each.delivery().properties()).toList();
      List<UserEvent> events = batch.stream().map(Readable::event).toList();
      int connectedSince = connection.recoveries();
      BatchOutcome outcome = tracing.consumeAll(properties, settings.topology().queue(), () -> retrying.applyAll(events,
          () -> stillHeld(connectedSince)));
      switch (outcome) {
        case BatchOutcome.Done done -> {
          acks.done(batch.stream().map(each -> each.delivery().tag()).toList()); // a lost channel throws
          for (int i = 0; i < batch.size(); i++) {
            metrics.handled(events.get(i), label(done.results().get(i)));
          }
        }
        case BatchOutcome.OneByOne oneByOne -> storeEachAlone(batch);
        case BatchOutcome.GiveBack giveBack -> {
          for (Readable each : batch) {
            long tag = each.delivery().tag();
            settleAlone(tag, () -> getChannel().basicNack(tag, false, true));
          }
        }
        case BatchOutcome.Lost lost -> batch.forEach(each -> acks.lost(each.delivery().tag()));
      }
    }

    // Each on a thread of its own, as the one that cannot be stored may be retried for a while.
    private void storeEachAlone(List<Readable> batch) {
      List<Future<?>> stored = new ArrayList<>(batch.size());
      for (Readable each : batch) {
        stored.add(workers.submit(() -> {
          storeAlone(each);
          return null;
        }));
      }
      for (Future<?> each : stored) {
        try {
          each.get();
        } catch (ExecutionException e) {
          log.debug("delivery not settled: {}", e.getCause().toString());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    private void storeAlone(Readable readable) throws IOException {
      Received delivery = readable.delivery();
      UserEvent event = readable.event();
      long tag = delivery.tag();
      int connectedSince = connection.recoveries();
      Outcome outcome = tracing.consume(delivery.properties(), settings.topology().queue(),
          () -> retrying.apply(event, () -> stillHeld(connectedSince)));
      switch (outcome) {
        case Outcome.Done done -> {
          acks.done(tag); // a lost channel throws: redelivered
          metrics.handled(event, label(done.result()));
        }
        case Outcome.Park park -> {
          metrics.handled(event, "parked");
          park(delivery, park.reason());
        }
        case Outcome.GiveBack giveBack -> settleAlone(tag, () -> getChannel().basicNack(tag, false, true));
        case Outcome.Lost lost -> acks.lost(tag);
      }
    }

    private static String label(ApplyUserEventResult result) {
      return result == ApplyUserEventResult.APPLIED ? "applied" : "stale";
    }

    // A delivery made on a connection since lost is the broker's again: it has requeued it.
    private boolean stillHeld(int connectedSince) {
      return connection.recoveries() == connectedSince && getChannel().isOpen();
    }

    private void park(Received delivery, String reason) throws IOException {
      long tag = delivery.tag();
      settleAlone(tag, () -> deadLetters.park(getChannel(), tag, delivery.properties(), delivery.body(), reason));
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
