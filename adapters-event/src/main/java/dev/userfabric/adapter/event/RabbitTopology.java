package dev.userfabric.adapter.event;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.util.Map;

/**
 * Declares exchanges and queues (idempotently, on every connect). The driver's queue is a quorum
 * queue, replicated and durable, whose rejected messages go to the dead-letter queue.
 */
final class RabbitTopology {

  private RabbitTopology() {}

  static void declare(Channel channel, EventTopology names) throws IOException {
    channel.exchangeDeclare(names.exchange(), BuiltinExchangeType.TOPIC, true);
    channel.exchangeDeclare(names.deadLetterExchange(), BuiltinExchangeType.DIRECT, true);

    channel.queueDeclare(names.deadLetterQueue(), true, false, false,
        Map.of("x-queue-type", "quorum"));
    channel.queueBind(names.deadLetterQueue(), names.deadLetterExchange(), names.queue());

    channel.queueDeclare(names.queue(), true, false, false, Map.of(
        "x-queue-type", "quorum",
        "x-dead-letter-exchange", names.deadLetterExchange(),
        "x-dead-letter-routing-key", names.queue()));
    channel.queueBind(names.queue(), names.exchange(), names.routingKey());
  }
}
