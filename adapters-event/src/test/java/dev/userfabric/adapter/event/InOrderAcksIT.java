package dev.userfabric.adapter.event;

import static dev.userfabric.adapter.event.RabbitTesting.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the broker holds after deliveries finish out of order: only the settled prefix is acked,
 * a delivery settled by itself is never covered by a later ack, and every delivery finished
 * concurrently ends acked. Judged by the real broker: whatever a closed channel still held comes
 * back to the queue.
 */
class InOrderAcksIT {

  private static final String RABBIT_URI =
      System.getProperty("userfabric.test.rabbitmq.uri", "amqp://guest:guest@127.0.0.1:5672/%2F");
  private static final int MESSAGES = 10;

  private Connection connection;
  private Channel inspect;
  private String queue;

  @BeforeEach
  void declareQueue() throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(RABBIT_URI);
    connection = factory.newConnection("in-order-acks-test");
    inspect = connection.createChannel();
    queue = inspect.queueDeclare("userfabric-test.in-order-acks." + System.nanoTime(), false, false, false, null)
        .getQueue();
    for (int i = 0; i < MESSAGES; i++) {
      inspect.basicPublish("", queue, null, new byte[] {(byte) i});
    }
    eventually(Duration.ofSeconds(10), () -> inspect.queueDeclarePassive(queue).getMessageCount() == MESSAGES);
  }

  @AfterEach
  void deleteQueue() throws Exception {
    inspect.queueDelete(queue);
    connection.close();
  }

  @Test
  void acksNothingWhileTheFirstDeliveryIsUnfinished() throws Exception {
    try (Held held = consumeAll()) {
      for (int i = MESSAGES - 1; i >= 1; i--) {
        held.acks.done(held.tags.get(i));
      }
    }
    assertEquals(MESSAGES, waitForRequeued(MESSAGES), "all ten came back: the first held the rest");
  }

  @Test
  void acksTheFinishedPrefixOnly() throws Exception {
    try (Held held = consumeAll()) {
      for (int i : List.of(3, 0, 1, 2, 5, 6)) { // 4 unfinished: 0..3 acked, 5 and 6 wait for it
        held.acks.done(held.tags.get(i));
      }
    }
    assertEquals(MESSAGES - 4, waitForRequeued(MESSAGES - 4));
  }

  @Test
  void neverCoversADeliveryThatWasRequeuedByItself() throws Exception {
    try (Held held = consumeAll()) {
      held.channel.basicNack(held.tags.get(2), false, true); // requeued alone
      held.acks.settledAlone(held.tags.get(2));
      for (int i = 0; i < MESSAGES; i++) {
        if (i != 2) {
          held.acks.done(held.tags.get(i));
        }
      }
      // The requeued one is delivered again, to this very consumer: nine acked, one held again.
      eventually(Duration.ofSeconds(10), () -> held.tags.size() == MESSAGES + 1);
    }
    assertEquals(1, waitForRequeued(1));
  }

  @Test
  void everyDeliveryFinishedConcurrentlyEndsAcked() throws Exception {
    try (Held held = consumeAll(); ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Long> shuffled = new ArrayList<>(held.tags);
      Collections.shuffle(shuffled, new Random(42));
      CountDownLatch finished = new CountDownLatch(MESSAGES);
      for (long tag : shuffled) {
        workers.execute(() -> {
          try {
            held.acks.done(tag);
            finished.countDown();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
      }
      assertEquals(true, finished.await(10, TimeUnit.SECONDS));
    }
    assertEquals(0, waitForRequeued(0));
  }

  @Test
  void manyDeliveriesFinishedByManyThreadsAtOnceEndAcked() throws Exception {
    int more = 2_000;
    for (int i = 0; i < more; i++) {
      inspect.basicPublish("", queue, null, new byte[] {(byte) i});
    }
    int total = MESSAGES + more;
    eventually(Duration.ofSeconds(10), () -> inspect.queueDeclarePassive(queue).getMessageCount() == total);
    // Sixteen threads racing to ack: whoever finds another writing leaves its ack to that writer,
    // which must look again once done; a lost hand-off would leave deliveries held and requeued.
    try (Held held = consumeAll(total); ExecutorService workers = Executors.newFixedThreadPool(16)) {
      List<Long> shuffled = new ArrayList<>(held.tags);
      Collections.shuffle(shuffled, new Random(7));
      for (long tag : shuffled) {
        workers.execute(() -> {
          try {
            held.acks.done(tag);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
      }
    } // the workers finish before the channel closes, returning whatever was not acked
    assertEquals(0, waitForRequeued(0));
  }

  private int waitForRequeued(int expected) throws Exception {
    eventually(Duration.ofSeconds(10), () -> inspect.queueDeclarePassive(queue).getMessageCount() == expected);
    return inspect.queueDeclarePassive(queue).getMessageCount();
  }

  /** A consumer holding every message, its acks tracked in delivery order. */
  private Held consumeAll() throws Exception {
    return consumeAll(MESSAGES);
  }

  private Held consumeAll(int messages) throws Exception {
    Channel channel = connection.createChannel();
    channel.basicQos(messages);
    Held held = new Held(channel);
    channel.basicConsume(queue, false, new DefaultConsumer(channel) {
      @Override
      public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
        held.acks.received(envelope.getDeliveryTag());
        held.tags.add(envelope.getDeliveryTag());
      }
    });
    eventually(Duration.ofSeconds(10), () -> held.tags.size() == messages);
    return held;
  }

  private static final class Held implements AutoCloseable {
    final Channel channel;
    final InOrderAcks acks;
    final List<Long> tags = new CopyOnWriteArrayList<>();

    Held(Channel channel) {
      this.channel = channel;
      this.acks = new InOrderAcks(channel);
    }

    @Override
    public void close() throws Exception {
      channel.close(); // what it has not acked goes back to the queue
    }
  }
}
