package dev.userfabric.adapter.event;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver queue's and the dead-letter queue's depth and consumers, as the broker reports them
 * (a passive declare every {@code every}), as gauges {@code userfabric.queue.messages} and
 * {@code userfabric.queue.consumers} tagged {@code queue=driver|dead-letter}: consumer lag, and
 * what waits for an operator. NaN while the broker cannot be asked.
 */
public final class QueueDepths implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(QueueDepths.class);

  private final RabbitConnection connection;
  private final Map<String, String> queues;
  private final Map<String, double[]> latest = new ConcurrentHashMap<>(); // role -> {messages, consumers}
  private final ScheduledExecutorService polling = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().daemon().name("queue-depths").factory());

  public QueueDepths(RabbitConnection connection, MeterRegistry registry, Duration every) {
    this.connection = connection;
    EventTopology names = connection.settings().topology();
    this.queues = Map.of("driver", names.queue(), "dead-letter", names.deadLetterQueue());
    queues.keySet().forEach(role -> {
      latest.put(role, new double[] {Double.NaN, Double.NaN});
      Gauge.builder("userfabric.queue.messages", latest, map -> map.get(role)[0]).tag("queue", role)
          .description("messages ready in the queue (the driver's lag, or what the DLQ holds)").register(registry);
      Gauge.builder("userfabric.queue.consumers", latest, map -> map.get(role)[1]).tag("queue", role)
          .description("consumers on the queue, from every process").register(registry);
    });
    polling.scheduleWithFixedDelay(this::poll, 0, every.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void poll() {
    if (!connection.isReady()) {
      latest.values().forEach(values -> java.util.Arrays.fill(values, Double.NaN));
      return;
    }
    try {
      Channel channel = connection.openChannel();
      try {
        queues.forEach((role, queue) -> {
          try {
            AMQP.Queue.DeclareOk declared = channel.queueDeclarePassive(queue);
            latest.put(role, new double[] {declared.getMessageCount(), declared.getConsumerCount()});
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
      } finally {
        if (channel.isOpen()) {
          channel.abort();
        }
      }
    } catch (IOException | RuntimeException e) {
      log.debug("queue depths unavailable: {}", e.toString());
      latest.values().forEach(values -> java.util.Arrays.fill(values, Double.NaN));
    }
  }

  @Override
  public void close() {
    polling.shutdownNow();
  }
}
