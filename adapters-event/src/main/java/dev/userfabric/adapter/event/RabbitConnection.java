package dev.userfabric.adapter.event;

import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.MetricsCollector;
import com.rabbitmq.client.NoOpMetricsCollector;
import com.rabbitmq.client.impl.MicrometerMetricsCollector;
import io.micrometer.core.instrument.MeterRegistry;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import java.io.IOException;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one AMQP connection the publisher and the consumers share, each on channels of their own.
 * If the broker is not there at start it keeps connecting in the background, so the service
 * starts anyway; once connected, the client recovers the connection and its channels by itself.
 * Both retry soon (100 ms) and then at most every 500 ms, so a broker that is back is used again
 * within a second. After each recovery the topology is declared first and only then are the
 * consumers started again ({@link #whenRecovered}): a broker that lost its definitions gets them
 * back before anyone consumes. While not connected, or while the broker blocks publishers,
 * {@link #isReady()} is false and the publisher refuses at once.
 */
public final class RabbitConnection implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RabbitConnection.class);
  private static final Duration FIRST_RETRY = Duration.ofMillis(100);
  private static final Duration MAX_RETRY = Duration.ofMillis(500);
  private static final Duration RPC_TIMEOUT = Duration.ofSeconds(10);

  private final ConnectionFactory factory = new ConnectionFactory();
  private final AmqpNodes nodes;
  private final RabbitSettings settings;
  private final List<Runnable> onFirstConnect = new CopyOnWriteArrayList<>();
  private final List<Runnable> onRecovery = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService connecting = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().daemon().name("rabbitmq-connect").factory());
  private final ExecutorService dispatch;
  private volatile Connection connection;
  private final AtomicInteger recoveries = new AtomicInteger();
  private volatile boolean blocked;
  private volatile boolean closed;

  /** Connects once now (a healthy broker is ready when this returns), then in the background. */
  public RabbitConnection(RabbitSettings settings) {
    this(settings, false, new NoOpMetricsCollector());
  }

  /**
   * Connects in the background from the start, so that a service can connect to its other
   * servers at the same time; {@link #isReady()} says when it is done.
   */
  public static RabbitConnection openInBackground(RabbitSettings settings) {
    return new RabbitConnection(settings, true, new NoOpMetricsCollector());
  }

  /**
   * The same, with the client's own metrics ({@code rabbitmq.connections}, {@code .channels},
   * {@code .published}, {@code .acknowledged}, {@code .rejected}...) reported to {@code registry}
   * by its {@code MicrometerMetricsCollector}.
   */
  public static RabbitConnection openInBackground(RabbitSettings settings, MeterRegistry registry) {
    return new RabbitConnection(settings, true, new MicrometerMetricsCollector(registry, "rabbitmq"));
  }

  private RabbitConnection(RabbitSettings settings, boolean inBackground, MetricsCollector metrics) {
    this.settings = settings;
    factory.setMetricsCollector(metrics);
    this.dispatch = Executors.newFixedThreadPool(Math.max(1, settings.consumers()),
        Thread.ofPlatform().daemon().name("rabbitmq-dispatch-", 0).factory());
    this.nodes = AmqpNodes.of(settings.uri());
    try {
      factory.setUri(nodes.uri());
    } catch (URISyntaxException | GeneralSecurityException e) {
      throw new IllegalArgumentException("userfabric.rabbitmq.uri is not a valid AMQP URI", e);
    }
    factory.setAutomaticRecoveryEnabled(true);
    // We declare the topology ourselves after a recovery, then restart the consumers: the client's
    // own topology recovery would replay declarations made on channels long closed, and could
    // start a consumer before its queue exists again.
    factory.setTopologyRecoveryEnabled(false);
    factory.setRecoveryDelayHandler(RabbitConnection::retryPause);
    factory.setConnectionTimeout((int) settings.confirmTimeout().toMillis());
    factory.setHandshakeTimeout((int) settings.confirmTimeout().toMillis());
    factory.setRequestedHeartbeat(10);
    // A queue without a leader (a quorum queue still recovering) holds basic.consume unanswered:
    // give up after a while and try again rather than wait for the client's ten minutes.
    factory.setChannelRpcTimeout((int) RPC_TIMEOUT.toMillis());
    // A consumer holds its dispatch thread while it waits to retry: one thread per consumer.
    factory.setSharedExecutor(dispatch);
    if (inBackground) {
      connecting.execute(() -> connect(0));
    } else {
      connect(0); // once now, so a healthy start is ready at once; then in the background
    }
  }

  private static long retryPause(int attempt) {
    return Math.min(MAX_RETRY.toMillis(), FIRST_RETRY.toMillis() << Math.min(attempt, 10));
  }

  RabbitSettings settings() {
    return settings;
  }

  /** Whether a publish can be sent now: connected (not recovering) and not blocked by the broker. */
  public boolean isReady() {
    Connection current = connection;
    return current != null && current.isOpen() && !blocked;
  }

  /** Runs the action once connected: now if already, else from the connecting thread. */
  void whenConnected(Runnable action) {
    onFirstConnect.add(action);
    if (connection != null && onFirstConnect.remove(action)) {
      action.run();
    }
  }

  /**
   * Runs the action after every recovery of the connection, once the topology is declared again,
   * on the client's recovery thread: it must not block.
   */
  void whenRecovered(Runnable action) {
    onRecovery.add(action);
  }

  /** How many times the connection was lost and recovered: deliveries from before are void. */
  int recoveries() {
    return recoveries.get();
  }

  /**
   * A new channel.
   *
   * @throws IOException at once when not connected, rather than waiting for the broker
   */
  Channel openChannel() throws IOException {
    Connection current = connection;
    if (current == null || !current.isOpen()) {
      throw new IOException("not connected to RabbitMQ");
    }
    Channel channel = current.createChannel();
    if (channel == null) {
      throw new IOException("RabbitMQ refused another channel");
    }
    return channel;
  }

  private void connect(int attempt) {
    if (closed) {
      return;
    }
    Connection opened = null;
    try {
      opened = nodes.isCluster() ? factory.newConnection(nodes.nodes(), "userfabric") : factory.newConnection("userfabric");
      declareTopology(opened);
    } catch (IOException | TimeoutException | RuntimeException e) {
      if (opened != null) {
        opened.abort(); // e.g. a queue declared with other arguments: do not leak the connection
      }
      long pause = retryPause(attempt);
      log.warn("cannot use RabbitMQ yet ({}); retrying in {} ms", e.toString(), pause);
      connecting.schedule(() -> connect(attempt + 1), pause, TimeUnit.MILLISECONDS);
      return;
    }
    opened.addBlockedListener(new BlockedListener() {
      @Override
      public void handleBlocked(String reason) {
        log.warn("RabbitMQ blocks publishing: {}", reason);
        blocked = true;
      }

      @Override
      public void handleUnblocked() {
        log.info("RabbitMQ accepts publishing again");
        blocked = false;
      }
    });
    ((Recoverable) opened).addRecoveryListener(new RecoveryListener() {
      @Override
      public void handleRecovery(Recoverable recovered) {
        blocked = false;
        try {
          declareTopology((Connection) recovered);
          log.info("RabbitMQ connection recovered; topology declared");
        } catch (IOException | TimeoutException | RuntimeException e) {
          // The consumers retry on their own until their queue is there.
          log.error("RabbitMQ connection recovered but the topology could not be declared", e);
        }
        onRecovery.forEach(Runnable::run);
      }

      @Override
      public void handleRecoveryStarted(Recoverable recovering) {
        recoveries.incrementAndGet(); // before anything can be delivered on the new connection
        log.warn("RabbitMQ connection lost; recovering");
      }
    });
    connection = opened;
    log.info("connected to RabbitMQ");
    if (closed) {
      closeQuietly(opened);
      return;
    }
    for (Runnable action : onFirstConnect) {
      if (onFirstConnect.remove(action)) {
        action.run();
      }
    }
  }

  private void declareTopology(Connection on) throws IOException, TimeoutException {
    try (Channel declaring = on.createChannel()) {
      RabbitTopology.declare(declaring, settings);
    }
    if (settings.log().enabled()) {
      // On a channel of its own: a log declared earlier with another retention refuses the
      // declaration (queue arguments never change), which must not stop the service. The log
      // is there, with its first retention; a policy changes it.
      Channel declaring = on.createChannel();
      try {
        RabbitTopology.declareLog(declaring, settings);
        declaring.close();
      } catch (IOException | RuntimeException e) {
        log.error("the event log {} exists with another retention or could not be declared; it keeps its own "
            + "(set x-max-age / x-max-length-bytes with a RabbitMQ policy to change it): {}",
            settings.topology().log(), e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
        declaring.abort();
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    connecting.shutdownNow();
    Connection current = connection;
    if (current != null) {
      closeQuietly(current);
    }
    dispatch.shutdown();
  }

  private static void closeQuietly(Connection current) {
    try {
      current.close(5_000);
    } catch (IOException | RuntimeException e) {
      current.abort();
    }
  }
}
