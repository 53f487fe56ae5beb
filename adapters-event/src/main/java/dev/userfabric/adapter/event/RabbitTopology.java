package dev.userfabric.adapter.event;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import dev.userfabric.adapter.event.RabbitSettings.QueueType;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Declares exchanges and queues, idempotently, on connect and again after every recovery (a
 * broker that lost its definitions gets them back). Messages the driver rejects, or that exceed
 * the delivery limit, go to the dead-letter queue; so do the ones it parks with a reason.
 */
final class RabbitTopology {

  static final String FAILURE_HEADER = "x-userfabric-failure";

  private RabbitTopology() {}

  static void declare(Channel channel, RabbitSettings settings) throws IOException {
    EventTopology names = settings.topology();
    channel.exchangeDeclare(names.exchange(), BuiltinExchangeType.TOPIC, true);
    channel.exchangeDeclare(names.deadLetterExchange(), BuiltinExchangeType.DIRECT, true);

    channel.queueDeclare(names.deadLetterQueue(), true, false, false, typed(settings, new HashMap<>()));
    channel.queueBind(names.deadLetterQueue(), names.deadLetterExchange(), names.queue());

    Map<String, Object> arguments = new HashMap<>();
    arguments.put("x-dead-letter-exchange", names.deadLetterExchange());
    arguments.put("x-dead-letter-routing-key", names.queue());
    if (settings.queueType() == QueueType.QUORUM) {
      arguments.put("x-delivery-limit", settings.retry().deliveryLimit());
    }
    channel.queueDeclare(names.queue(), true, false, false, typed(settings, arguments));
    for (String key : EventTopology.ROUTING_KEYS) {
      channel.queueBind(names.queue(), names.exchange(), key);
    }
  }

  // A stream keeps what it is sent until its retention drops it, whoever has read it: any AMQP
  // 0-9-1 client reads it from an offset of its choosing (x-stream-offset).
  static void declareLog(Channel channel, RabbitSettings settings) throws IOException {
    EventTopology names = settings.topology();
    RabbitSettings.EventLog log = settings.log();
    Map<String, Object> arguments = new HashMap<>();
    arguments.put("x-queue-type", "stream");
    log.maxAge().ifPresent(age -> arguments.put("x-max-age", age));
    log.maxBytes().ifPresent(bytes -> arguments.put("x-max-length-bytes", bytes));
    channel.queueDeclare(names.log(), true, false, false, arguments);
    channel.queueBind(names.log(), names.exchange(), "#");
  }

  private static Map<String, Object> typed(RabbitSettings settings, Map<String, Object> arguments) {
    arguments.put("x-queue-type", settings.queueType() == QueueType.QUORUM ? "quorum" : "classic");
    return arguments;
  }
}
