package dev.userfabric.adapter.event;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.userfabric.adapter.event.RetryingApply.Outcome;
import dev.userfabric.domain.model.UserEvent;
import dev.userfabric.domain.port.in.ApplyUserEventUseCase;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the store from the event log: reads the stream from its first offset (or from a point
 * in time) and applies every event as the event driver would. Order does not matter (the store
 * keeps the newest revision whatever order events arrive in), so events are applied many at a
 * time. A stream has no end, so the replay ends once nothing has arrived for the idle time and
 * everything read is applied. Replaying over a store that already holds users changes only what
 * the log has newer; replaying twice changes nothing.
 */
public final class EventLogReplay {

  private static final Logger log = LoggerFactory.getLogger(EventLogReplay.class);
  private static final int PREFETCH = 1000; // a stream consumer must set one
  private static final int IN_FLIGHT = 256;

  /** What a replay did: events read, applied, found stale, and those that could not be applied. */
  public record Result(long read, long applied, long stale, long unusable, Duration took) {

    public double eventsPerSecond() {
      return took.isZero() ? read : read * 1000.0 / Math.max(1, took.toMillis());
    }
  }

  private final RabbitConnection connection;
  private final ApplyUserEventUseCase applyUserEvent;

  public EventLogReplay(RabbitConnection connection, ApplyUserEventUseCase applyUserEvent) {
    this.connection = connection;
    this.applyUserEvent = applyUserEvent;
  }

  /** The stream replayed. */
  public String log() {
    return connection.settings().topology().log();
  }

  /**
   * @param from the first event's time; empty for the log's first offset
   * @param idle how long without a new event means the log is read to its end
   */
  public Result replay(Optional<Instant> from, Duration idle) throws IOException, InterruptedException {
    String stream = connection.settings().topology().log();
    long started = System.nanoTime();
    AtomicLong read = new AtomicLong();
    AtomicLong applied = new AtomicLong();
    AtomicLong stale = new AtomicLong();
    AtomicLong unusable = new AtomicLong();
    AtomicLong lastArrival = new AtomicLong(System.nanoTime());
    CountDownLatch never = new CountDownLatch(1); // a replay is not shut down halfway: it ends
    RetryingApply retrying = new RetryingApply(command -> {
      var result = applyUserEvent.apply(command);
      (result == dev.userfabric.domain.port.in.ApplyUserEventResult.APPLIED ? applied : stale).incrementAndGet();
      return result;
    }, connection.settings().retry(), never);
    Semaphore window = new Semaphore(IN_FLIGHT);

    Channel channel = connection.openChannel();
    try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
      channel.basicQos(PREFETCH);
      Object offset = from.<Object>map(Date::from).orElse("first");
      channel.basicConsume(stream, false, Map.of("x-stream-offset", offset), new DefaultConsumer(channel) {
        @Override
        public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
          lastArrival.set(System.nanoTime());
          read.incrementAndGet();
          window.acquireUninterruptibly();
          workers.execute(() -> {
            try {
              apply(properties, body, retrying, unusable);
              getChannel().basicAck(envelope.getDeliveryTag(), false); // credit for the next
            } catch (IOException | RuntimeException e) {
              log.warn("replay: delivery {} not settled: {}", envelope.getDeliveryTag(), e.toString());
            } finally {
              window.release();
            }
          });
        }
      });
      long idleNanos = idle.toNanos();
      while (System.nanoTime() - lastArrival.get() < idleNanos || window.availablePermits() < IN_FLIGHT) {
        Thread.sleep(Math.min(100, idle.toMillis()));
      }
    } finally {
      try {
        channel.close();
      } catch (IOException | TimeoutException | RuntimeException e) {
        channel.abort();
      }
    }
    return new Result(read.get(), applied.get(), stale.get(), unusable.get(),
        Duration.ofNanos(System.nanoTime() - started));
  }

  private static void apply(AMQP.BasicProperties properties, byte[] body, RetryingApply retrying,
      AtomicLong unusable) {
    UserEvent event;
    try {
      event = UserEventCodec.decode(properties.getType(), body);
    } catch (IllegalArgumentException e) {
      log.warn("replay: skipping undecodable message {}: {}", properties.getMessageId(), e.getMessage());
      unusable.incrementAndGet();
      return;
    }
    if (retrying.apply(event, () -> true) instanceof Outcome.Park park) {
      log.warn("replay: skipping event {}: {}", event.eventId(), park.reason());
      unusable.incrementAndGet();
    }
  }
}
