package dev.userfabric.adapter.event;

import static dev.userfabric.adapter.event.RabbitTesting.awaitReady;
import static dev.userfabric.adapter.event.RabbitTesting.eventFor;
import static dev.userfabric.adapter.event.RabbitTesting.eventually;
import static dev.userfabric.testing.faults.Elapsed.LONG_TIMEOUT;
import static dev.userfabric.testing.faults.Elapsed.assertFailsAfter;
import static dev.userfabric.testing.faults.Elapsed.assertFailsAtOnce;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import dev.userfabric.adapter.event.RabbitSettings.ConsumerRetry;
import dev.userfabric.adapter.event.RabbitSettings.QueueType;
import dev.userfabric.domain.model.EventPublishFailed;
import dev.userfabric.domain.model.Overloaded;
import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.Revision;
import dev.userfabric.domain.model.UserCreated;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.model.UserRecord;
import java.util.HashMap;
import java.util.Optional;
import java.util.Random;
import java.util.Collections;
import dev.userfabric.domain.model.UserEvent;
import dev.userfabric.domain.port.in.ApplyUserEventResult;
import dev.userfabric.domain.port.in.ApplyUserEventUseCase;
import dev.userfabric.domain.service.ApplyUserEventService;
import dev.userfabric.domain.testing.InMemoryUserCache;
import dev.userfabric.domain.testing.Users;
import dev.userfabric.testing.faults.Cleanup;
import dev.userfabric.testing.faults.RabbitBroker;
import dev.userfabric.testing.faults.TcpProxy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The publisher and the event driver while the network and the broker fail: a TCP proxy in front
 * of the shared broker cuts, refuses and stalls connections; a broker of the test's own is killed
 * and restarted. The shared broker itself is never stopped.
 */
class RabbitFaultIT {

  private static final URI SHARED = URI.create(
      System.getProperty("userfabric.test.rabbitmq.uri", "amqp://guest:guest@127.0.0.1:5672/%2F"));
  private static final ConsumerRetry QUICK_RETRY =
      new ConsumerRetry(Duration.ofMillis(50), Duration.ofMillis(400), 3, 20);

  private final Cleanup cleanup = new Cleanup();
  private EventTopology topology;
  private Channel inspect;
  private TcpProxy proxy;

  @BeforeEach
  void setUp() throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(SHARED);
    Connection admin = factory.newConnection("userfabric-fault-test-admin"); // fails loudly without a broker
    inspect = admin.createChannel();
    topology = EventTopology.withPrefix("fault-" + UUID.randomUUID() + ".");
    proxy = new TcpProxy(SHARED.getHost(), SHARED.getPort());
    cleanup.add(admin);
    cleanup.add(() -> {
      for (String queue : List.of(topology.queue(), topology.deadLetterQueue(), topology.log())) {
        inspect.queueDelete(queue);
      }
      inspect.exchangeDelete(topology.exchange());
      inspect.exchangeDelete(topology.deadLetterExchange());
    });
    cleanup.add(proxy);
  }

  @AfterEach
  void tearDown() throws Exception {
    cleanup.close();
  }

  @Test
  public void brokerDownAtStartFailsPublishesAtOnceAndWorksOnceItIsUp() throws Exception {
    proxy.refuse();
    RabbitConnection connection = connect(settings(LONG_TIMEOUT));
    RabbitUserEventPublisher publisher = new RabbitUserEventPublisher(connection);

    assertFailsAtOnce(EventPublishFailed.class, () -> publisher.publish(eventFor(Users.bareUser("ada"))));

    proxy.accept();
    awaitReady(connection);
    publisher.publish(eventFor(Users.bareUser("ada")));
    assertEquals(1, messagesIn(topology.queue()));
  }

  @Test
  public void aCutConnectionLosesNoConfirmedEventAndRecovers() throws Exception {
    RabbitConnection connection = ready(settings());
    RabbitUserEventPublisher publisher = new RabbitUserEventPublisher(connection);
    Set<String> confirmed = ConcurrentHashMap.newKeySet();
    AtomicInteger failed = new AtomicInteger();
    ExecutorService callers = Executors.newFixedThreadPool(16);
    cleanup.add(callers::shutdownNow);

    List<Future<?>> calls = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      int n = i;
      calls.add(callers.submit(() -> {
        if (n == 150) {
          proxy.cut();
        }
        UserCreated event = eventFor(Users.bareUser("user-" + n));
        try {
          publisher.publish(event);
          confirmed.add(event.eventId().toString());
        } catch (EventPublishFailed e) {
          failed.incrementAndGet();
        }
      }));
    }
    for (Future<?> call : calls) {
      call.get(30, TimeUnit.SECONDS); // nothing hangs
    }
    assertTrue(failed.get() > 0, "the cut should have failed some publishes");

    awaitReady(connection);
    UserCreated afterRecovery = eventFor(Users.bareUser("after"));
    publisher.publish(afterRecovery);
    confirmed.add(afterRecovery.eventId().toString());

    Set<String> queued = drain(topology.queue());
    assertTrue(queued.containsAll(confirmed),
        "confirmed but missing: " + confirmed.stream().filter(id -> !queued.contains(id)).count());
    assertTrue(queued.size() <= 401);
  }

  @Test
  public void publishesFailAtOnceWhileTheConnectionRecovers() throws Exception {
    RabbitConnection connection = ready(settings(LONG_TIMEOUT));
    RabbitUserEventPublisher publisher = new RabbitUserEventPublisher(connection);
    publisher.publish(eventFor(Users.bareUser("before")));

    proxy.refuse();
    eventually(Duration.ofSeconds(5), () -> !connection.isReady());
    assertFailsAtOnce(EventPublishFailed.class, () -> publisher.publish(eventFor(Users.bareUser("during"))));

    proxy.accept();
    awaitReady(connection);
    publisher.publish(eventFor(Users.bareUser("after")));
    assertEquals(2, messagesIn(topology.queue()));
  }

  @Test
  public void aConfirmThatNeverComesFailsThePublishAtTheConfirmTimeout() throws Exception {
    Duration confirmTimeout = Duration.ofMillis(500);
    RabbitSettings impatient = new RabbitSettings(proxyUri(), topology, QueueType.QUORUM,
        confirmTimeout, 16, 0, 8, QUICK_RETRY);
    RabbitUserEventPublisher publisher = new RabbitUserEventPublisher(ready(impatient));
    publisher.publish(eventFor(Users.bareUser("warm-up")));

    proxy.stall();
    assertFailsAfter(EventPublishFailed.class, confirmTimeout,
        () -> publisher.publish(eventFor(Users.bareUser("ada"))));
    proxy.resume();
  }

  @Test
  public void beyondTheInFlightBoundPublishesAreRefusedAtOnce() throws Exception {
    RabbitSettings narrow = new RabbitSettings(proxyUri(), topology, QueueType.QUORUM,
        LONG_TIMEOUT, 1, 0, 8, QUICK_RETRY);
    RabbitUserEventPublisher publisher = new RabbitUserEventPublisher(ready(narrow));
    proxy.stall();
    ExecutorService caller = Executors.newSingleThreadExecutor();
    cleanup.add(caller::shutdownNow);
    Future<?> waiting = caller.submit(() -> publisher.publish(eventFor(Users.bareUser("first"))));
    eventually(Duration.ofSeconds(10), () -> publisher.awaitingConfirm() == 1);

    assertFailsAtOnce(Overloaded.class, () -> publisher.publish(eventFor(Users.bareUser("second"))));
    proxy.resume();
    waiting.get(LONG_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  public void manyConcurrentPublishesAreAllConfirmedOnOneChannel() throws Exception {
    RabbitUserEventPublisher publisher = new RabbitUserEventPublisher(ready(settings()));
    ExecutorService callers = Executors.newFixedThreadPool(32);
    cleanup.add(callers::shutdownNow);
    List<Future<?>> calls = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      int n = i;
      calls.add(callers.submit(() -> publisher.publish(eventFor(Users.bareUser("user-" + n)))));
    }
    for (Future<?> call : calls) {
      call.get(30, TimeUnit.SECONDS);
    }
    assertEquals(1_000, messagesIn(topology.queue()));
  }

  @Test
  public void poisonMessagesAreParkedWithTheReasonAndTheRestFlows() throws Exception {
    InMemoryUserCache cache = new InMemoryUserCache();
    RabbitConnection connection = ready(settings());
    consumer(connection, new ApplyUserEventService(cache)).start();
    RabbitUserEventPublisher publisher = new RabbitUserEventPublisher(connection);

    inspect.basicPublish(topology.exchange(), EventTopology.CREATED_KEY, null, "not protobuf".getBytes());
    User ada = Users.fullUser("ada");
    publisher.publish(eventFor(ada));

    eventually(Duration.ofSeconds(10), () -> messagesIn(topology.deadLetterQueue()) == 1);
    eventually(Duration.ofSeconds(10), () -> cache.find(ada.id()).isPresent());
    GetResponse parked = inspect.basicGet(topology.deadLetterQueue(), true);
    assertEquals("not protobuf", new String(parked.getBody()));
    assertTrue(parked.getProps().getHeaders().get(RabbitTopology.FAILURE_HEADER).toString().startsWith("undecodable"));
  }

  @Test
  public void aMessageThatKeepsFailingIsParkedAfterTheBoundedAttempts() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    RabbitConnection connection = ready(settings());
    consumer(connection, command -> {
      attempts.incrementAndGet();
      throw new IllegalStateException("a bug that this event always hits");
    }).start();

    new RabbitUserEventPublisher(connection).publish(eventFor(Users.bareUser("ada")));

    eventually(Duration.ofSeconds(10), () -> messagesIn(topology.deadLetterQueue()) == 1);
    assertEquals(QUICK_RETRY.maxAttempts(), attempts.get());
    GetResponse parked = inspect.basicGet(topology.deadLetterQueue(), true);
    String reason = parked.getProps().getHeaders().get(RabbitTopology.FAILURE_HEADER).toString();
    assertTrue(reason.contains("failed 3 times") && reason.contains("a bug that this event always hits"), reason);
    assertEquals(0, messagesIn(topology.queue()));
  }

  @Test
  public void aDownStoreIsRetriedWithGrowingPausesAndNothingIsDropped() throws Exception {
    InMemoryUserCache cache = new InMemoryUserCache();
    cache.goDown();
    RabbitConnection connection = ready(settings());
    consumer(connection, new ApplyUserEventService(cache)).start();
    User ada = Users.fullUser("ada");
    long published = System.nanoTime();
    new RabbitUserEventPublisher(connection).publish(eventFor(ada));

    // Twice maxAttempts (3), and not parked: an unreachable store never counts against the message.
    int attempts = 2 * QUICK_RETRY.maxAttempts();
    eventually(Duration.ofSeconds(20), () -> cache.writes() >= attempts);
    assertEquals(0, messagesIn(topology.deadLetterQueue()));
    // The pauses between them grow: 50, 100, 200, 400, 400 ms (capped), so six attempts take at
    // least 1150 ms; the same pause each time would take 250 ms.
    long took = (System.nanoTime() - published) / 1_000_000;
    assertTrue(took >= 1_150, "six attempts took only " + took + " ms");

    cache.comeBack();
    eventually(Duration.ofSeconds(5), () -> cache.find(ada.id()).isPresent());
    eventually(Duration.ofSeconds(5), () -> messagesIn(topology.queue()) == 0);
  }

  @Test
  public void aConsumerKilledBeforeItsWriteLeavesTheEventToAnother() throws Exception {
    InMemoryUserCache cache = new InMemoryUserCache();
    CountDownLatch delivered = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    cleanup.add(never::countDown);
    RabbitConnection doomed = ready(settings().withConsumers(1));
    consumer(doomed, command -> {
      delivered.countDown();
      awaitQuietly(never); // hangs before writing, until the process "dies"
      throw new IllegalStateException("dead");
    }).start();
    User ada = Users.fullUser("ada");
    new RabbitUserEventPublisher(doomed).publish(eventFor(ada));
    assertTrue(delivered.await(10, TimeUnit.SECONDS));

    RabbitConnection survivor = connect(RabbitSettings.of(SHARED.toString(), topology).withConsumers(1));
    consumer(survivor, new ApplyUserEventService(cache)).start();
    proxy.refuse(); // the first process is gone: the broker requeues what it held

    eventually(Duration.ofSeconds(10), () -> cache.find(ada.id()).isPresent());
    eventually(Duration.ofSeconds(5), () -> messagesIn(topology.queue()) == 0);
    assertEquals(1, cache.size());
    never.countDown();
  }

  @Test
  public void aConsumerKilledAfterItsWriteButBeforeItsAckStoresTheUserOnce() throws Exception {
    InMemoryUserCache cache = new InMemoryUserCache();
    ApplyUserEventService store = new ApplyUserEventService(cache);
    CountDownLatch written = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    cleanup.add(never::countDown);
    RabbitConnection doomed = ready(settings().withConsumers(1));
    consumer(doomed, command -> {
      store.apply(command);
      written.countDown();
      awaitQuietly(never); // dies between the write and the ack
      throw new IllegalStateException("dead");
    }).start();
    User ada = Users.fullUser("ada");
    new RabbitUserEventPublisher(doomed).publish(eventFor(ada));
    assertTrue(written.await(10, TimeUnit.SECONDS));

    Map<ApplyUserEventResult, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    RabbitConnection survivor = connect(RabbitSettings.of(SHARED.toString(), topology).withConsumers(1));
    consumer(survivor, command -> {
      ApplyUserEventResult result = store.apply(command);
      outcomes.computeIfAbsent(result, r -> new AtomicInteger()).incrementAndGet();
      return result;
    }).start();
    proxy.refuse();

    eventually(Duration.ofSeconds(10), () -> outcomes.containsKey(ApplyUserEventResult.STALE));
    eventually(Duration.ofSeconds(5), () -> messagesIn(topology.queue()) == 0);
    assertEquals(1, cache.size());
    assertEquals(2, cache.writes(), "the redelivery found the same revision stored and wrote nothing");
    never.countDown();
  }

  @Test
  public void aShuffledDuplicatedStreamOfOneUsersEventsAcrossTwoConnectionsConvergesOnTheNewest() throws Exception {
    InMemoryUserCache cache = new InMemoryUserCache();
    ApplyUserEventService store = new ApplyUserEventService(cache);
    RabbitConnection first = ready(settings().withConsumers(2));
    RabbitConnection second = connect(RabbitSettings.of(SHARED.toString(), topology).withConsumers(2));
    awaitReady(second);
    consumer(first, store).start();
    consumer(second, store).start();
    User ada = Users.user(Users.ISSUER, "ada", "v1@example.test", 1);
    List<UserEvent> events = new ArrayList<>();
    events.add(eventFor(ada));
    for (int version = 2; version <= 40; version++) {
      events.add(Users.updated(ada, "v" + version + "@example.test", version));
    }
    events.add(Users.deleted(ada, 41));
    User back = Users.user(Users.ISSUER, "ada", "back@example.test", 42);
    events.add(eventFor(back));
    events.addAll(List.copyOf(events));
    Collections.shuffle(events, new Random(7));

    RabbitUserEventPublisher publisher = new RabbitUserEventPublisher(first);
    for (UserEvent event : events) {
      publisher.publish(event);
    }

    eventually(Duration.ofSeconds(20), () -> cache.writes() == events.size() && messagesIn(topology.queue()) == 0);
    assertEquals(Optional.of(back), cache.find(ada.id()));
  }

  @Test
  public void severalProcessesWithSeveralConsumersStoreEveryUserOnceAtItsNewestRevision() throws Exception {
    InMemoryUserCache cache = new InMemoryUserCache();
    ApplyUserEventService store = new ApplyUserEventService(cache);
    RabbitConnection first = ready(settings().withConsumers(3));
    RabbitConnection second = connect(RabbitSettings.of(SHARED.toString(), topology).withConsumers(3));
    awaitReady(second);
    consumer(first, store).start();
    consumer(second, store).start();

    RabbitUserEventPublisher publisher = new RabbitUserEventPublisher(first);
    Map<UserId, Revision> newest = new HashMap<>();
    for (int i = 0; i < 300; i++) {
      UserCreated event = eventFor(Users.bareUser("user-" + i));
      publisher.publish(event);
      newest.put(event.userId(), event.revision());
      if (i % 10 == 0) {
        publisher.publish(event); // the same event twice
        UserCreated rival = eventFor(event.user()); // two creations of one user, one version: a tie
        publisher.publish(rival);
        newest.merge(event.userId(), rival.revision(), (a, b) -> a.isNewerThan(b) ? a : b);
      }
    }

    eventually(Duration.ofSeconds(20), () -> cache.size() == 300 && messagesIn(topology.queue()) == 0);
    assertEquals(6, inspect.queueDeclarePassive(topology.queue()).getConsumerCount());
    newest.forEach((id, revision) ->
        assertEquals(revision, ((UserRecord.Active) cache.read(id)).revision(), "user " + id));
  }

  @Test
  public void aClassicQueueCanBeChosen() throws Exception {
    RabbitSettings classic = new RabbitSettings(proxyUri(), topology, QueueType.CLASSIC,
        Duration.ofSeconds(2), 16, 1, 8, QUICK_RETRY);
    InMemoryUserCache cache = new InMemoryUserCache();
    RabbitConnection connection = ready(classic);
    consumer(connection, new ApplyUserEventService(cache)).start();
    new RabbitUserEventPublisher(connection).publish(eventFor(Users.bareUser("ada")));

    eventually(Duration.ofSeconds(10), () -> cache.size() == 1);
    // Redeclaring with the same arguments succeeds only if the queue really is classic.
    inspect.queueDeclare(topology.queue(), true, false, false, Map.of("x-queue-type", "classic",
        "x-dead-letter-exchange", topology.deadLetterExchange(), "x-dead-letter-routing-key", topology.queue()));
  }

  @Test
  public void closingFinishesTheWriteInProgressAndHandsTheRestBack() throws Exception {
    InMemoryUserCache cache = new InMemoryUserCache();
    ApplyUserEventService store = new ApplyUserEventService(cache);
    CountDownLatch writing = new CountDownLatch(1);
    RabbitConnection connection = ready(settings().withConsumers(1));
    UserEventConsumer consumer = new UserEventConsumer(connection, command -> {
      writing.countDown();
      sleepQuietly(300); // a slow write
      return store.apply(command);
    });
    consumer.start();
    RabbitUserEventPublisher publisher = new RabbitUserEventPublisher(connection);
    for (int i = 0; i < 10; i++) {
      publisher.publish(eventFor(Users.bareUser("user-" + i)));
    }
    assertTrue(writing.await(10, TimeUnit.SECONDS));

    consumer.close();

    assertTrue(cache.size() >= 1, "the write in progress finished");
    eventually(Duration.ofSeconds(5), () -> messagesIn(topology.queue()) == 10 - cache.size());
    assertEquals(0, inspect.queueDeclarePassive(topology.queue()).getConsumerCount());
  }

  @Test
  public void aBrokerRestartLosesNoUnackedDeliveryAndALostTopologyIsDeclaredAgain() throws Exception {
    RabbitBroker broker = new RabbitBroker().start();
    cleanup.add(broker);
    InMemoryUserCache cache = new InMemoryUserCache();
    cache.goDown(); // the consumer holds its deliveries, unacknowledged
    RabbitSettings own = RabbitSettings.of(broker.uri(), topology).withRetry(QUICK_RETRY);
    RabbitConnection connection = ready(own);
    consumer(connection, new ApplyUserEventService(cache)).start();
    RabbitUserEventPublisher publisher = new RabbitUserEventPublisher(connection);
    Set<UUID> users = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      User user = Users.bareUser("user-" + i);
      users.add(user.id().value());
      publisher.publish(eventFor(user));
    }
    eventually(Duration.ofSeconds(10), () -> cache.writes() > 0); // the consumer holds deliveries

    // An orderly restart: RabbitMQ itself may lose a quorum queue killed moments after it was
    // declared (it comes back without a leader); the kill below comes with a wipe anyway.
    broker.stop();
    broker.start();
    cache.comeBack();
    eventually(Duration.ofSeconds(30), () -> cache.size() == 50);
    for (UUID id : users) {
      assertTrue(cache.find(new dev.userfabric.domain.model.UserId(id)).isPresent());
    }

    broker.killAndWipe(); // comes back without our exchanges and queues
    broker.start();
    awaitReady(connection);
    eventually(Duration.ofSeconds(30), () -> {
      try {
        publisher.publish(eventFor(Users.bareUser("after-wipe")));
        return true;
      } catch (EventPublishFailed notYet) {
        return false;
      }
    });
    eventually(Duration.ofSeconds(10), () -> cache.size() == 51);
  }

  private RabbitSettings settings() {
    return settings(Duration.ofSeconds(2));
  }

  private RabbitSettings settings(Duration confirmTimeout) {
    return new RabbitSettings(proxyUri(), topology, QueueType.QUORUM, confirmTimeout, 1024, 2, 8, QUICK_RETRY);
  }

  private String proxyUri() {
    return "amqp://guest:guest@127.0.0.1:" + proxy.port() + "/%2F";
  }

  private RabbitConnection connect(RabbitSettings settings) {
    RabbitConnection connection = new RabbitConnection(settings);
    cleanup.add(connection);
    return connection;
  }

  private RabbitConnection ready(RabbitSettings settings) throws Exception {
    RabbitConnection connection = connect(settings);
    awaitReady(connection);
    return connection;
  }

  private UserEventConsumer consumer(RabbitConnection connection, ApplyUserEventUseCase useCase) {
    UserEventConsumer consumer = new UserEventConsumer(connection, useCase);
    cleanup.add(consumer);
    return consumer;
  }

  private long messagesIn(String queue) throws Exception {
    return inspect.queueDeclarePassive(queue).getMessageCount();
  }

  private Set<String> drain(String queue) throws Exception {
    Set<String> ids = new HashSet<>();
    GetResponse response;
    while ((response = inspect.basicGet(queue, true)) != null) {
      assertNotNull(response.getProps().getMessageId());
      ids.add(response.getProps().getMessageId());
    }
    return ids;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
