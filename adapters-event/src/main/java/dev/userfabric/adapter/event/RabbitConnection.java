package dev.userfabric.adapter.event;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeoutException;

/**
 * The one AMQP connection the publisher and the consumer share (each on its own channel). Opened
 * on first need so the service starts while the broker is down; after that the client recovers
 * the connection, its channels, consumers and declared topology by itself.
 */
public final class RabbitConnection implements AutoCloseable {

  private final ConnectionFactory factory = new ConnectionFactory();
  private final RabbitSettings settings;
  private Connection connection;

  public RabbitConnection(RabbitSettings settings) {
    this.settings = settings;
    try {
      factory.setUri(settings.uri());
    } catch (URISyntaxException | GeneralSecurityException e) {
      throw new IllegalArgumentException("userfabric.rabbitmq.uri is not a valid AMQP URI", e);
    }
    factory.setAutomaticRecoveryEnabled(true);
    factory.setTopologyRecoveryEnabled(true);
    factory.setNetworkRecoveryInterval(2_000);
    factory.setConnectionTimeout((int) settings.confirmTimeout().toMillis());
    factory.setRequestedHeartbeat(10);
  }

  RabbitSettings settings() {
    return settings;
  }

  /** A new channel, connecting (and declaring the topology) first if need be. */
  synchronized Channel openChannel() throws IOException {
    if (connection == null) {
      try {
        connection = factory.newConnection("userfabric");
      } catch (TimeoutException e) {
        throw new IOException("timed out connecting to RabbitMQ", e);
      }
      try (Channel declaring = connection.createChannel()) {
        RabbitTopology.declare(declaring, settings.topology());
      } catch (TimeoutException e) {
        throw new IOException("timed out declaring the topology", e);
      }
    }
    return connection.createChannel();
  }

  @Override
  public synchronized void close() throws IOException {
    if (connection != null && connection.isOpen()) {
      connection.close();
    }
  }
}
