package dev.userfabric.adapter.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import dev.userfabric.domain.model.InvalidUserData;
import dev.userfabric.domain.model.UserDeleted;
import dev.userfabric.domain.port.in.ApplyUserEventCommand;
import dev.userfabric.domain.port.in.ApplyUserEventResult;
import dev.userfabric.domain.port.in.ApplyUserEventUseCase;
import dev.userfabric.domain.model.UserEvent;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.model.UserRecord;
import dev.userfabric.domain.model.UserUpdated;
import java.util.Map;
import dev.userfabric.domain.model.EventPublishFailed;
import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserCreated;
import dev.userfabric.domain.service.ApplyUserEventService;
import dev.userfabric.domain.testing.InMemoryUserCache;
import dev.userfabric.domain.testing.Users;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
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
  private UserEventConsumer consumer;

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
    consumer = new UserEventConsumer(connection, new ApplyUserEventService(cache));
  }

  @AfterEach
  void deleteWhatThisTestDeclared() throws Exception {
    consumer.close();
    connection.close();
    for (EventTopology names : declared) {
      inspect.queueDelete(names.queue());
      inspect.queueDelete(names.deadLetterQueue());
      inspect.queueDelete(names.log());
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
    User older = Users.bareUser("ada");
    consumer.start();

    publisher.publish(event);
    publisher.publish(event);
    publisher.publish(eventFor(new User(older.id(), older.identity(), older.profile(), older.createdAt(),
        older.createdAt(), event.version() - 1)));

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

    inspect.basicPublish(topology.exchange(), EventTopology.CREATED_KEY, null, "not protobuf".getBytes());
    User ada = Users.fullUser("ada");
    publisher.publish(eventFor(ada));

    eventually(() -> messagesIn(topology.deadLetterQueue()) == 1);
    eventually(() -> cache.find(ada.id()).isPresent());
    assertEquals("not protobuf",
        new String(inspect.basicGet(topology.deadLetterQueue(), true).getBody()));
  }

  @Test
  public void storesABacklogInBatchesAndParksOnlyWhatCannotBeStored() throws Exception {
    User poison = Users.fullUser("poison");
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger largestBatch = new AtomicInteger();
    ApplyUserEventService service = new ApplyUserEventService(cache);
    consumer.close();
    consumer = new UserEventConsumer(connection, new ApplyUserEventUseCase() {
      @Override
      public ApplyUserEventResult apply(ApplyUserEventCommand command) {
        awaitRelease();
        refuse(List.of(command));
        return service.apply(command);
      }

      @Override
      public List<ApplyUserEventResult> applyAll(List<ApplyUserEventCommand> commands) {
        awaitRelease();
        largestBatch.accumulateAndGet(commands.size(), Math::max);
        refuse(commands);
        return service.applyAll(commands);
      }

      private void refuse(List<ApplyUserEventCommand> commands) {
        if (commands.stream().anyMatch(command -> command.event().userId().equals(poison.id()))) {
          throw new InvalidUserData("refused by this test");
        }
      }

      private void awaitRelease() {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    });
    List<User> users = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      if (i == 50) {
        inspect.basicPublish(topology.exchange(), EventTopology.CREATED_KEY, null, "not protobuf".getBytes());
      }
      if (i == 120) {
        publisher.publish(eventFor(poison));
      }
      users.add(Users.fullUser("backlog-" + i));
      publisher.publish(eventFor(users.getLast()));
    }
    int published = users.size() + 2;

    consumer.start();
    // Both consumers hold all they may, their first store held back: the rest wait for it.
    int held = Math.min(published, connection.settings().consumers() * connection.settings().prefetch());
    eventually(() -> messagesIn(topology.queue()) <= published - held);
    release.countDown();

    eventually(() -> cache.size() == users.size());
    eventually(() -> messagesIn(topology.deadLetterQueue()) == 2);
    for (User user : users) {
      assertEquals(Optional.of(user), cache.find(user.id()));
    }
    assertEquals(Optional.empty(), cache.find(poison.id()));
    assertTrue(largestBatch.get() > 1, "stored in batches: " + largestBatch.get());
    assertTrue(largestBatch.get() <= UserEventConsumer.MAX_BATCH, "a batch is bounded: " + largestBatch.get());
    List<String> parked = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      GetResponse response = inspect.basicGet(topology.deadLetterQueue(), true);
      try {
        parked.add(UserEventCodec.decode(response.getProps().getType(), response.getBody()).userId().toString());
      } catch (IllegalArgumentException e) {
        parked.add(new String(response.getBody()));
      }
    }
    assertEquals(java.util.Set.of(poison.id().toString(), "not protobuf"), java.util.Set.copyOf(parked));
    assertEverythingAcknowledged();
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
    inspect.queueUnbind(topology.queue(), topology.exchange(), EventTopology.CREATED_KEY);
    inspect.queueUnbind(topology.log(), topology.exchange(), "#");

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

  @Test
  public void publishesUpdatesAndErasuresUnderTheirOwnKeysWithCloudEventsAttributes() throws Exception {
    String updates = inspect.queueDeclare().getQueue();
    String erasures = inspect.queueDeclare().getQueue();
    inspect.queueBind(updates, topology.exchange(), EventTopology.UPDATED_KEY);
    inspect.queueBind(erasures, topology.exchange(), EventTopology.DELETED_KEY);
    User ada = Users.user(Users.ISSUER, "ada", "ada@example.test", 10);
    UserUpdated update = Users.updated(ada, "ada@new.example.test", 11);
    UserDeleted erasure = Users.deleted(ada, 12);

    publisher.publish(update);
    publisher.publish(erasure);

    GetResponse updated = await(() -> inspect.basicGet(updates, true));
    assertEquals("userfabric.v1.UserUpdated", updated.getProps().getType());
    var updateMessage = dev.userfabric.proto.v1.UserUpdated.parseFrom(updated.getBody());
    assertEquals(11, updateMessage.getVersion());
    assertEquals(List.of("email"), updateMessage.getChangedFieldsList());
    assertEquals("ada@new.example.test", updateMessage.getUser().getProfile().getEmail());
    Map<String, Object> headers = updated.getProps().getHeaders();
    assertEquals("1.0", headers.get("cloudEvents:specversion").toString());
    assertEquals(update.eventId().toString(), headers.get("cloudEvents:id").toString());
    assertEquals("userfabric.v1.UserUpdated", headers.get("cloudEvents:type").toString());
    assertEquals(ada.id().toString(), headers.get("cloudEvents:subject").toString());
    assertEquals(update.occurredAt().toString(), headers.get("cloudEvents:time").toString());
    assertEquals("urn:userfabric", headers.get("cloudEvents:source").toString());

    GetResponse deleted = await(() -> inspect.basicGet(erasures, true));
    assertEquals("userfabric.v1.UserDeleted", deleted.getProps().getType());
    var deleteMessage = dev.userfabric.proto.v1.UserDeleted.parseFrom(deleted.getBody());
    assertEquals(ada.id().toString(), deleteMessage.getUserId());
    assertEquals(12, deleteMessage.getVersion());
    assertEquals("ada", deleteMessage.getSubject());
  }

  @Test
  public void theDriverAppliesUpdatesAndErasuresAndIgnoresWhatArrivesLate() throws Exception {
    User ada = Users.user(Users.ISSUER, "ada", "ada@example.test", 10);
    UserUpdated update = Users.updated(ada, "ada@new.example.test", 11);
    consumer.start();

    publisher.publish(eventFor(ada));
    publisher.publish(update);
    eventually(() -> cache.find(ada.id()).equals(Optional.of(update.user())));
    publisher.publish(Users.deleted(ada, 12));
    eventually(() -> cache.read(ada.id()) instanceof UserRecord.Erased);
    publisher.publish(update); // redelivered late, older than the erasure

    eventually(() -> cache.writes() == 4);
    assertEverythingAcknowledged();
    assertEquals(Optional.empty(), cache.find(ada.id()));
  }

  @Test
  public void aLateSubscriberReadsEveryEventFromTheLogsFirstOffset() throws Exception {
    List<UserEvent> events = List.of(eventFor(Users.fullUser("a")), eventFor(Users.fullUser("b")),
        Users.deleted(Users.fullUser("a"), Users.fullUser("a").version() + 1));
    for (UserEvent event : events) {
      publisher.publish(event);
    }

    // What a service that starts tomorrow does, with nothing of ours but the names.
    Channel reader = admin.createChannel();
    reader.basicQos(100); // a stream consumer must set a prefetch
    List<String> read = new java.util.concurrent.CopyOnWriteArrayList<>();
    reader.basicConsume(topology.log(), false, Map.of("x-stream-offset", "first"), new DefaultConsumer(reader) {
      @Override
      public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
          throws java.io.IOException {
        read.add(properties.getMessageId());
        reader.basicAck(envelope.getDeliveryTag(), false);
      }
    });

    eventually(() -> read.size() == events.size());
    assertEquals(events.stream().map(event -> event.eventId().toString()).toList(), read);
    reader.close();
  }

  @Test
  public void rebuildingAStoreFromTheLogYieldsTheSameUsers() throws Exception {
    consumer.start();
    List<UserId> ids = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      User user = Users.user(Users.ISSUER, "rebuild-" + i, "v1@example.test", 100);
      ids.add(user.id());
      publisher.publish(eventFor(user));
      if (i % 3 == 0) {
        publisher.publish(Users.updated(user, "v2@example.test", 101));
      }
      if (i % 5 == 0) {
        publisher.publish(Users.deleted(user, 102));
      }
    }
    eventually(() -> messagesIn(topology.queue()) == 0 && cache.writes() == 60 + 20 + 12);
    InMemoryUserCache rebuilt = new InMemoryUserCache();

    EventLogReplay.Result result = new EventLogReplay(connection, new ApplyUserEventService(rebuilt))
        .replay(Optional.empty(), Duration.ofSeconds(1));

    assertEquals(92, result.read());
    assertEquals(0, result.unusable());
    for (UserId id : ids) {
      assertEquals(cache.read(id), rebuilt.read(id), "user " + id);
    }
    assertEquals(48, rebuilt.size());
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
