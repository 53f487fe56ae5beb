package dev.userfabric.adapter.event;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.userfabric.domain.model.CacheUnavailable;
import dev.userfabric.domain.model.UserCreated;
import dev.userfabric.domain.port.in.StoreCreatedUserCommand;
import dev.userfabric.domain.port.in.StoreCreatedUserUseCase;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event driver: takes UserCreated from the driver's queue and stores the user, acknowledging
 * only after the write. Undecodable or invalid messages are rejected to the dead-letter queue;
 * when the cache is down the message is requeued after a pause, never dropped.
 */
public final class UserCreatedConsumer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(UserCreatedConsumer.class);
  private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);
  private static final Duration RECONNECT_PAUSE = Duration.ofSeconds(2);

  private final RabbitConnection connection;
  private final StoreCreatedUserUseCase storeCreatedUser;
  private final ScheduledExecutorService starter =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("user-created-consumer-start").factory());
  private volatile Channel channel;
  private volatile boolean closed;

  public UserCreatedConsumer(RabbitConnection connection, StoreCreatedUserUseCase storeCreatedUser) {
    this.connection = connection;
    this.storeCreatedUser = storeCreatedUser;
  }

  /** Starts consuming now, or keeps trying in the background until the broker is reachable. */
  public void start() {
    starter.execute(this::tryStart);
  }

  private void tryStart() {
    if (closed) {
      return;
    }
    try {
      Channel opened = connection.openChannel();
      opened.basicQos(connection.settings().prefetch());
      opened.basicConsume(connection.settings().topology().queue(), false, "userfabric-driver",
          new Delivery(opened));
      channel = opened;
      log.info("consuming {}", connection.settings().topology().queue());
    } catch (IOException | RuntimeException e) {
      log.warn("cannot consume yet ({}); retrying in {}s", e.toString(), RECONNECT_PAUSE.toSeconds());
      starter.schedule(this::tryStart, RECONNECT_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void close() throws Exception {
    closed = true;
    starter.shutdownNow();
    Channel current = channel;
    if (current != null && current.isOpen()) {
      current.close();
    }
  }

  private final class Delivery extends DefaultConsumer {

    Delivery(Channel channel) {
      super(channel);
    }

    @Override
    public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
        byte[] body) throws IOException {
      long tag = envelope.getDeliveryTag();
      UserCreated event;
      try {
        event = UserCreatedCodec.decode(body);
      } catch (IllegalArgumentException e) {
        log.warn("dead-lettering undecodable message {}: {}", properties.getMessageId(), e.getMessage());
        getChannel().basicReject(tag, false);
        return;
      }
      try {
        storeCreatedUser.storeCreatedUser(new StoreCreatedUserCommand(event));
        getChannel().basicAck(tag, false);
      } catch (CacheUnavailable e) {
        log.warn("cache unavailable; requeueing event {} after {} ms", event.eventId(), RETRY_PAUSE.toMillis());
        pause();
        getChannel().basicNack(tag, false, true);
      } catch (RuntimeException e) {
        // Retrying cannot fix it: park it in the dead-letter queue, where nothing is lost.
        log.warn("dead-lettering event {}: {}", event.eventId(), e.toString());
        getChannel().basicReject(tag, false);
      }
    }

    private void pause() {
      try {
        Thread.sleep(RETRY_PAUSE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
