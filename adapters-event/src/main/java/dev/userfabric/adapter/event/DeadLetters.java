package dev.userfabric.adapter.event;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parks a message that can never succeed in the dead-letter queue with the reason, then acks
 * it. Should the park itself fail, the broker dead-letters it instead (without our reason).
 */
final class DeadLetters {

  private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

  private final RabbitSettings settings;

  DeadLetters(RabbitSettings settings) {
    this.settings = settings;
  }

  /** On a channel in confirm mode, the one the message was delivered on. */
  void park(Channel channel, long tag, AMQP.BasicProperties properties, byte[] body, String reason) throws IOException {
    log.warn("dead-lettering message {}: {}", properties.getMessageId(), reason);
    Map<String, Object> headers = new HashMap<>();
    if (properties.getHeaders() != null) {
      headers.putAll(properties.getHeaders());
    }
    headers.put(RabbitTopology.FAILURE_HEADER, reason.length() > 500 ? reason.substring(0, 500) : reason);
    headers.put(RabbitTopology.FAILURE_HEADER + "-at", Instant.now().toString());
    try {
      channel.basicPublish(settings.topology().deadLetterExchange(), settings.topology().queue(), true,
          properties.builder().headers(headers).build(), body);
      channel.waitForConfirmsOrDie(settings.confirmTimeout().toMillis());
      channel.basicAck(tag, false);
    } catch (IOException | TimeoutException | InterruptedException | RuntimeException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      log.warn("could not park message {} with its reason ({}); rejecting it to the dead-letter exchange",
          properties.getMessageId(), e.toString());
      channel.basicReject(tag, false);
    }
  }
}
