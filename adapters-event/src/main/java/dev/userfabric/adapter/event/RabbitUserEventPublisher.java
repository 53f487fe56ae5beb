package dev.userfabric.adapter.event;

import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import dev.userfabric.domain.model.EventPublishFailed;
import dev.userfabric.domain.model.Overloaded;
import dev.userfabric.domain.model.UserEvent;
import dev.userfabric.domain.port.out.UserEventPublisher;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes user events to the events exchange: persistent, mandatory, with publisher confirms.
 * {@link #publish} returns only once the broker has routed and confirmed the message. Callers
 * share one channel: sending is serialised (a channel is not thread-safe), waiting for the confirm
 * is not, so many confirms are in flight at once, up to a bound beyond which publishing is
 * refused. Nothing waits for a broker that is not there: while the connection is down or
 * recovering a publish fails at once, and every wait ends at the confirm timeout or the caller's
 * deadline.
 */
public final class RabbitUserEventPublisher implements UserEventPublisher, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RabbitUserEventPublisher.class);

  private final EventMetrics metrics;
  private final EventTracing tracing;
  private final RabbitConnection connection;
  private final EventTopology topology;
  private final Duration confirmTimeout;
  private final int maxInFlight;
  private final UnaryOperator<Duration> callerBudget;
  private final Semaphore inFlight;
  private final ReentrantLock sending = new ReentrantLock();
  private final ConcurrentNavigableMap<Long, CompletableFuture<Void>> unconfirmed =
      new ConcurrentSkipListMap<>();
  private final Map<String, CompletableFuture<Void>> byMessageId = new ConcurrentHashMap<>();
  private Channel channel; // guarded by sending
  // Set by a nack: the next publish opens a new channel. After a stream's leader moved (a node of
  // a cluster lost), the broker nacks every later publish on a channel that had written to it,
  // for as long as the channel lives; a new channel writes to the new leader.
  private volatile boolean renewChannel;
  private volatile boolean closed;

  public RabbitUserEventPublisher(RabbitConnection connection) {
    this(connection, EventMetrics.UNREGISTERED.registry());
  }

  /** @param registry where {@code userfabric.events.published} and the confirm gauge are kept */
  public RabbitUserEventPublisher(RabbitConnection connection, MeterRegistry registry) {
    this(connection, registry, OpenTelemetry.noop());
  }

  /** @param openTelemetry where the publish spans go; their context travels in the headers */
  public RabbitUserEventPublisher(RabbitConnection connection, MeterRegistry registry, OpenTelemetry openTelemetry) {
    this(connection, registry, openTelemetry, UnaryOperator.identity());
  }

  /**
   * @param callerBudget the longest wait for a confirm: the confirm timeout given, or less when
   *     the caller will not wait that long; it throws {@code CallAbandoned} when the caller has
   *     gone, and then nothing is published
   */
  public RabbitUserEventPublisher(RabbitConnection connection, MeterRegistry registry, OpenTelemetry openTelemetry,
      UnaryOperator<Duration> callerBudget) {
    this.callerBudget = callerBudget;
    this.tracing = new EventTracing(openTelemetry);
    this.metrics = new EventMetrics(registry);
    Gauge.builder("userfabric.events.awaiting.confirm", this, RabbitUserEventPublisher::awaitingConfirm)
        .description("publishes waiting for the broker's confirm now").register(registry);
    this.connection = connection;
    this.topology = connection.settings().topology();
    this.confirmTimeout = connection.settings().confirmTimeout();
    this.maxInFlight = connection.settings().maxInFlightPublishes();
    this.inFlight = new Semaphore(maxInFlight);
  }

  @Override
  public void publish(UserEvent event) {
    long started = System.nanoTime();
    try {
      tracing.publish(event, topology.exchange(), () -> publishAndAwaitConfirm(event));
      metrics.published(event, true, System.nanoTime() - started);
    } catch (RuntimeException e) {
      metrics.published(event, false, System.nanoTime() - started);
      throw e;
    }
  }

  private void publishAndAwaitConfirm(UserEvent event) {
    if (closed) {
      throw new EventPublishFailed("publisher is shutting down");
    }
    if (!connection.isReady()) {
      throw new EventPublishFailed("not connected to RabbitMQ, or blocked by it");
    }
    if (!inFlight.tryAcquire()) {
      throw new Overloaded(maxInFlight + " events are awaiting a broker confirm already");
    }
    String messageId = event.eventId().toString();
    try {
      // Capped by the caller's budget, which also refuses to publish for a caller who has gone.
      Duration wait = callerBudget.apply(confirmTimeout);
      long waitUntil = System.nanoTime() + wait.toNanos();
      CompletableFuture<Void> confirmed = send(event, messageId, wait);
      confirmed.get(Math.max(0, waitUntil - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw new EventPublishFailed("broker did not accept event " + messageId + ": " + e.getCause().getMessage(),
          e.getCause());
    } catch (TimeoutException e) {
      throw new EventPublishFailed("no confirm for event " + messageId + " in time", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EventPublishFailed("interrupted waiting for a confirm", e);
    } finally {
      byMessageId.remove(messageId);
      inFlight.release();
    }
  }

  /** How many publishes are waiting for the broker's confirm now. */
  int awaitingConfirm() {
    return maxInFlight - inFlight.availablePermits();
  }

  private CompletableFuture<Void> send(UserEvent event, String messageId, Duration wait)
      throws InterruptedException, TimeoutException {
    // A socket that stopped draining blocks the sender holding the lock: the others give up at
    // their own deadline instead of queueing behind it.
    if (!sending.tryLock(wait.toNanos(), TimeUnit.NANOSECONDS)) {
      throw new TimeoutException("publishing channel busy");
    }
    CompletableFuture<Void> confirmed = new CompletableFuture<>();
    try {
      Channel open = openChannel();
      long sequence = open.getNextPublishSeqNo();
      unconfirmed.put(sequence, confirmed);
      byMessageId.put(messageId, confirmed);
      open.basicPublish(topology.exchange(), UserEventCodec.routingKey(event), true,
          tracing.withContext(UserEventCodec.properties(event)), UserEventCodec.encode(event));
    } catch (IOException | AlreadyClosedException e) {
      confirmed.completeExceptionally(e);
    } finally {
      sending.unlock();
    }
    return confirmed;
  }

  private Channel openChannel() throws IOException {
    if (renewChannel && channel != null) {
      renewChannel = false;
      log.info("the broker refused a publish: publishing on a new channel");
      channel.abort(); // its unconfirmed publishes fail now; their callers retry
    }
    if (channel != null && channel.isOpen()) {
      return channel;
    }
    if (channel != null) {
      channel.abort(); // a channel closed by an error is not coming back; stop its recovery
    }
    Channel opened = connection.openChannel();
    opened.confirmSelect();
    // The broker sends basic.return before the ack of an unroutable mandatory message, so the
    // failure is recorded first and the later ack cannot turn it into a success.
    opened.addReturnListener(returned -> {
      CompletableFuture<Void> future = byMessageId.get(returned.getProperties().getMessageId());
      if (future != null) {
        future.completeExceptionally(new IOException(
            "unroutable: " + returned.getReplyCode() + " " + returned.getReplyText()));
      }
    });
    opened.addConfirmListener(
        (sequence, multiple) -> settle(sequence, multiple, null),
        (sequence, multiple) -> {
          renewChannel = true;
          settle(sequence, multiple, new IOException("broker nacked"));
        });
    // Lost connection: confirms that did not come will never come. The callers hear UNAVAILABLE;
    // a message the broker did keep is stored anyway and a retry finds the user.
    opened.addShutdownListener(this::failAll);
    channel = opened;
    return opened;
  }

  private void settle(long sequence, boolean multiple, Exception failure) {
    Map<Long, CompletableFuture<Void>> settled = multiple
        ? unconfirmed.headMap(sequence, true)
        : unconfirmed.subMap(sequence, true, sequence, true);
    settled.values().forEach(future -> {
      if (failure == null) {
        future.complete(null);
      } else {
        future.completeExceptionally(failure);
      }
    });
    settled.clear();
  }

  private void failAll(Exception cause) {
    unconfirmed.values().forEach(future -> future.completeExceptionally(cause));
    unconfirmed.clear();
  }

  /** Refuses new publishes, lets those awaiting a confirm finish, then closes the channel. */
  @Override
  public void close() throws InterruptedException {
    closed = true;
    if (inFlight.tryAcquire(maxInFlight, confirmTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
      inFlight.release(maxInFlight);
    }
    sending.lock();
    try {
      if (channel != null && channel.isOpen()) {
        channel.abort(); // every confirm has been awaited; nothing is left to lose
      }
    } catch (IOException e) {
      // closing anyway
    } finally {
      sending.unlock();
    }
  }
}
