package dev.userfabric.adapter.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import dev.userfabric.domain.model.EventPublishFailed;
import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserCreated;
import dev.userfabric.domain.service.StoreCreatedUserService;
import dev.userfabric.domain.testing.InMemoryUserCache;
import dev.userfabric.domain.testing.Users;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Publisher and consumer against the real local RabbitMQ, under names no other run uses. */
class RabbitEventAdapterIT {

  private static final String RABBIT_URI =
      System.getProperty("userfabric.test.rabbitmq.uri", "amqp://guest:guest@127.0.0.1:5672/%2F");

  private final List<EventTopology> declared = new ArrayList<>();
  private final InMemoryUserCache cache = new InMemoryUserCache();
  private EventTopology topology;
  private Connection admin;
  private Channel inspect;
  private RabbitConnection connection;
  private RabbitUserEventPublisher publisher;
  private UserCreatedConsumer consumer;

  @BeforeEach
  void connect() throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(RABBIT_URI);
    admin = factory.newConnection("userfabric-test-admin"); // fails loudly without a broker
    inspect = admin.createChannel();
    topology = freshTopology();
    connection = new RabbitConnection(RabbitSettings.of(RABBIT_URI, topology));
    RabbitTesting.awaitReady(connection);
    publisher = new RabbitUserEventPublisher(connection);
    consumer = new UserCreatedConsumer(connection, new StoreCreatedUserService(cache));
  }

  @AfterEach
  void deleteWhatThisTestDeclared() throws Exception {
    consumer.close();
    connection.close();
    for (EventTopology names : declared) {
      inspect.queueDelete(names.queue());
      inspect.queueDelete(names.deadLetterQueue());
      inspect.exchangeDelete(names.exchange());
      inspect.exchangeDelete(names.deadLetterExchange());
    }
    admin.close();
  }

  @Test
  public void publishesAnEventOtherServicesCanReadWithTheProtoAlone() throws Exception {
    String theirQueue = inspect.queueDeclare().getQueue(); // another service's own queue
    UserCreated event = eventFor(Users.fullUser("ada"));
    inspect.queueBind(theirQueue, topology.exchange(), "user.*");

    publisher.publish(event);

    GetResponse delivery = await(() -> inspect.basicGet(theirQueue, true));
    assertEquals("userfabric.v1.UserCreated", delivery.getProps().getType());
    assertEquals("application/x-protobuf", delivery.getProps().getContentType());
    assertEquals(event.eventId().toString(), delivery.getProps().getMessageId());
    assertEquals(2, delivery.getProps().getDeliveryMode());
    var message = dev.userfabric.proto.v1.UserCreated.parseFrom(delivery.getBody());
    assertEquals(event.user().id().toString(), message.getUser().getId());
    assertEquals("ada@example.test", message.getUser().getProfile().getEmail());
  }

  @Test
  public void theDriverStoresThePublishedUserAndAcknowledges() throws Exception {
    User ada = Users.fullUser("ada");
    consumer.start();

    publisher.publish(eventFor(ada));

    eventually(() -> cache.size() == 1);
    assertEquals(Optional.of(ada), cache.find(ada.id()));
    assertEverythingAcknowledged();
  }

  @Test
  public void storesOneUserWhenTheSameEventArrivesTwice() throws Exception {
    UserCreated event = eventFor(Users.fullUser("ada"));
    consumer.start();

    publisher.publish(event);
    publisher.publish(event);
    publisher.publish(eventFor(Users.bareUser("ada")));

    eventually(() -> cache.writes() == 3); // every delivery has been handled
    assertEverythingAcknowledged();
    assertEquals(1, cache.size());
    assertEquals(Optional.of(event.user()), cache.find(event.user().id()));
  }

  @Test
  public void deadLettersAnUndecodableMessageAndKeepsConsuming() throws Exception {
    consumer.start();
    publisher.publish(eventFor(Users.bareUser("warm-up")));
    eventually(() -> cache.size() == 1);

    inspect.basicPublish(topology.exchange(), topology.routingKey(), null, "not protobuf".getBytes());
    User ada = Users.fullUser("ada");
    publisher.publish(eventFor(ada));

    eventually(() -> messagesIn(topology.deadLetterQueue()) == 1);
    eventually(() -> cache.find(ada.id()).isPresent());
    assertEquals("not protobuf",
        new String(inspect.basicGet(topology.deadLetterQueue(), true).getBody()));
  }

  @Test
  public void retriesWhileTheCacheIsDownAndStoresOnceItIsBack() throws Exception {
    User ada = Users.fullUser("ada");
    cache.goDown();
    consumer.start();

    publisher.publish(eventFor(ada));
    eventually(() -> cache.writes() >= 3); // tried, failed, and kept the delivery for another try
    assertEquals(0, cache.size());
    cache.comeBack();

    eventually(() -> cache.size() == 1);
    assertEverythingAcknowledged();
    assertEquals(0, messagesIn(topology.deadLetterQueue()));
  }

  @Test
  public void reportsAnUnroutableEventAsAFailure() throws Exception {
    inspect.queueUnbind(topology.queue(), topology.exchange(), topology.routingKey());

    assertThrows(EventPublishFailed.class, () -> publisher.publish(eventFor(Users.bareUser("ada"))));
  }

  @Test
  public void reportsAnUnreachableBrokerAsAFailure() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (RabbitConnection nowhere = new RabbitConnection(
        RabbitSettings.of("amqp://guest:guest@127.0.0.1:" + closedPort, topology))) {
      assertThrows(EventPublishFailed.class,
          () -> new RabbitUserEventPublisher(nowhere).publish(eventFor(Users.bareUser("ada"))));
    }
  }

  private EventTopology freshTopology() {
    EventTopology names = EventTopology.withPrefix("test-" + UUID.randomUUID() + ".");
    declared.add(names);
    return names;
  }

  private long messagesIn(String queue) throws Exception {
    return inspect.queueDeclarePassive(queue).getMessageCount();
  }

  /**
   * Closing the driver's channel hands every unacknowledged delivery back to the queue, so an
   * empty queue afterwards means everything delivered was acknowledged. The queue handles a
   * channel's messages in order: once it has seen the consumer go, it has seen the hand-back.
   */
  private void assertEverythingAcknowledged() throws Exception {
    consumer.close();
    eventually(() -> inspect.queueDeclarePassive(topology.queue()).getConsumerCount() == 0);
    assertEquals(0, messagesIn(topology.queue()), "deliveries left unacknowledged");
  }

  private static UserCreated eventFor(User user) {
    return new UserCreated(UUID.randomUUID(), Instant.parse("2026-11-21T09:00:00Z"), user);
  }

  private static <T> T await(ThrowingSupplier<T> poll) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      T value = poll.get();
      if (value != null) {
        return value;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("nothing arrived within 10 s");
  }

  private static void eventually(ThrowingCondition condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.holds()) {
      assertTrue(System.nanoTime() < deadline, "condition not met within 10 s");
      Thread.sleep(50);
    }
  }

  interface ThrowingSupplier<T> {
    T get() throws Exception;
  }

  interface ThrowingCondition {
    boolean holds() throws Exception;
  }
}
