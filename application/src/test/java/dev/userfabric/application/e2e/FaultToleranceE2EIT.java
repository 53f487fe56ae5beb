package dev.userfabric.application.e2e;

import static dev.userfabric.testing.faults.Elapsed.assertAtOnce;
import static dev.userfabric.testing.faults.Elapsed.assertWithin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userfabric.adapter.oauth.testing.TestIdentityProvider;
import dev.userfabric.proto.v1.CreateUserRequest;
import dev.userfabric.proto.v1.CreateUserResponse;
import dev.userfabric.proto.v1.UserServiceGrpc;
import dev.userfabric.testing.faults.Cleanup;
import dev.userfabric.testing.faults.Elapsed;
import dev.userfabric.testing.faults.RedisServer;
import dev.userfabric.testing.faults.TcpProxy;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.lettuce.core.RedisClient;
import io.micronaut.context.ApplicationContext;
import io.micronaut.grpc.server.GrpcEmbeddedServer;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole service (gRPC, a real HTTP identity provider, Redis, RabbitMQ) while its
 * dependencies fail: a redis-server of the test's own, a TCP proxy in front of the shared broker,
 * a provider that answers slowly. Every test starts its own replicas.
 */
class FaultToleranceE2EIT {

  private final Cleanup cleanup = new Cleanup();
  private TestServers servers;
  private TestIdentityProvider idp;
  private String probeQueue;

  /** A deadline far beyond what any answer here may take, so an answer "at once" is one. */
  private static final long LONG = Elapsed.LONG_TIMEOUT.toMillis();

  @BeforeEach
  void setUp() throws Exception {
    servers = new TestServers();
    idp = new TestIdentityProvider();
    cleanup.add(servers);
    cleanup.add(idp);
  }

  @AfterEach
  void tearDown() throws Exception {
    cleanup.close();
  }

  @Test
  public void startsWithRedisAndRabbitDownNotServingUntilTheyAreUpThenRecovers() throws Exception {
    RedisServer redis = new RedisServer();
    cleanup.add(redis);
    TcpProxy broker = brokerProxy();
    broker.refuse();
    Map<String, String> properties = properties();
    properties.put("userfabric.redis.uri", redis.uri());
    properties.put("userfabric.rabbitmq.uri", "amqp://guest:guest@127.0.0.1:" + broker.port() + "/%2F");
    EmbeddedServer replica = replica(properties);
    ManagedChannel channel = channelTo(replica);

    assertEquals(ServingStatus.NOT_SERVING, health(channel));
    assertEquals(503, readiness(replica), "readiness agrees with the gRPC health service");
    assertAtOnce(() -> assertEquals(Status.Code.UNAVAILABLE, failure(() -> createUser(channel, "ada", LONG))));

    redis.start();
    broker.accept();
    eventually(Duration.ofSeconds(15), () -> health(channel) == ServingStatus.SERVING);
    assertEquals(200, readiness(replica));
    CreateUserResponse ada = createUser(channel, "ada", 5_000);
    assertTrue(ada.getCreated());
    RedisClient own = RedisClient.create(redis.uri());
    cleanup.add(own::shutdown);
    var ownRedis = own.connect().sync();
    eventually(Duration.ofSeconds(10), () -> ownRedis.exists(servers.userKey(ada.getUser().getId())) == 1);

    redis.kill(); // mid-run
    eventually(Duration.ofSeconds(5), () -> health(channel) == ServingStatus.NOT_SERVING);
    assertEquals(503, readiness(replica));
    assertAtOnce(() -> assertEquals(Status.Code.UNAVAILABLE, failure(() -> createUser(channel, "bob", LONG))));

    redis.start();
    eventually(Duration.ofSeconds(15), () -> health(channel) == ServingStatus.SERVING);
    assertTrue(createUser(channel, "bob", 5_000).getCreated());
  }

  @Test
  public void concurrentFirstCallsAcrossReplicasGiveOneUser() throws Exception {
    ManagedChannel first = serving(replica(properties()));
    ManagedChannel second = serving(replica(properties()));
    ExecutorService callers = Executors.newFixedThreadPool(20);
    cleanup.add(callers::shutdownNow);

    List<Future<CreateUserResponse>> calls = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      ManagedChannel channel = i % 2 == 0 ? first : second;
      calls.add(callers.submit(() -> createUser(channel, "grace", 10_000)));
    }
    Set<String> ids = new HashSet<>();
    for (Future<CreateUserResponse> call : calls) {
      ids.add(call.get(20, TimeUnit.SECONDS).getUser().getId());
    }

    assertEquals(1, ids.size(), "every caller gets the same user id");
    String key = servers.userKey(ids.iterator().next());
    eventually(Duration.ofSeconds(10), () -> servers.redis.sync().exists(key) == 1);
    eventually(Duration.ofSeconds(10), () -> queueDepth("userfabric.user-created") == 0);
    assertEquals(1, servers.redis.sync().keys(servers.keyPrefix + "{u*}user:*").size());
    assertTrue(!createUser(first, "grace", 5_000).getCreated());
  }

  @Test
  public void theCallersDeadlineBoundsTheProviderCallAndNothingIsPublishedAfterIt() throws Exception {
    ManagedChannel channel = serving(replica(properties()));
    bindProbeQueue();
    idp.userinfoDelayMillis = 1_500;

    assertWithin(Duration.ofMillis(400),
        () -> assertEquals(Status.Code.DEADLINE_EXCEEDED, failure(() -> createUser(channel, "late", 400))));

    Context.CancellableContext call = Context.current().withCancellation();
    ExecutorService caller = Executors.newSingleThreadExecutor();
    cleanup.add(caller::shutdownNow);
    Future<?> cancelled = caller.submit(() -> call.run(() -> failure(() -> createUser(channel, "gone", 10_000))));
    eventually(Duration.ofSeconds(10), () -> idp.userinfoRequests.get() == 2); // waiting for the provider
    call.cancel(null);
    cancelled.get(5, TimeUnit.SECONDS);

    // Both provider calls are over; a later call's event is the marker that whatever the two
    // abandoned calls would have published has been published by now.
    eventually(Duration.ofSeconds(10), () -> idp.userinfoAnswers.get() == 2);
    idp.userinfoDelayMillis = 0;
    CreateUserResponse marker = createUser(channel, "marker", 5_000);
    eventually(Duration.ofSeconds(10), () -> queueDepth(probeQueue) > 0);
    assertEquals(1, queueDepth(probeQueue), "no event for a caller who had gone");
    eventually(Duration.ofSeconds(10), () -> servers.redis.sync().exists(userKey(marker)) == 1);
    assertEquals(1, servers.redis.sync().keys(servers.keyPrefix + "{u*}user:*").size());
    assertTrue(createUser(channel, "late", 5_000).getCreated());
  }

  @Test
  public void beyondTheCallLimitCallersAreToldResourceExhaustedAtOnce() throws Exception {
    Map<String, String> properties = properties();
    properties.put("userfabric.grpc.max-concurrent-calls", "2");
    properties.put("userfabric.oauth.http-timeout", Elapsed.LONG_TIMEOUT.toSeconds() + "s");
    ManagedChannel channel = serving(replica(properties));
    // The two calls hold their slots far longer than the margin "at once" allows.
    idp.userinfoDelayMillis = 3 * Elapsed.MARGIN.toMillis();
    ExecutorService callers = Executors.newFixedThreadPool(2);
    cleanup.add(callers::shutdownNow);
    List<Future<CreateUserResponse>> slow = List.of(
        callers.submit(() -> createUser(channel, "slow-1", LONG)),
        callers.submit(() -> createUser(channel, "slow-2", LONG)));
    eventually(Duration.ofSeconds(10), () -> idp.userinfoRequests.get() == 2);

    assertAtOnce(() -> assertEquals(Status.Code.RESOURCE_EXHAUSTED, failure(() -> createUser(channel, "third", LONG))));
    assertEquals(ServingStatus.SERVING, health(channel)); // health is never refused
    assertEquals(2, idp.userinfoRequests.get(), "the refused call never reached the provider");
    for (Future<CreateUserResponse> call : slow) {
      assertTrue(call.get(LONG, TimeUnit.MILLISECONDS).getCreated());
    }
  }

  @Test
  public void shutdownUnderLoadFinishesTheCallsInProgressAndLosesNoEvent() throws Exception {
    EmbeddedServer doomed = replica(properties());
    ManagedChannel channel = serving(doomed);
    idp.userinfoDelayMillis = 1_000;
    ExecutorService callers = Executors.newFixedThreadPool(30);
    cleanup.add(callers::shutdownNow);
    List<Future<CreateUserResponse>> calls = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      String subject = "load-" + i;
      calls.add(callers.submit(() -> createUser(channel, subject, 10_000)));
    }
    eventually(Duration.ofSeconds(10), () -> idp.userinfoRequests.get() == 30); // all in progress

    doomed.stop(); // what SIGTERM does: stop taking calls, finish those in progress, close
    doomed.getApplicationContext().close();

    Set<String> created = new HashSet<>();
    for (Future<CreateUserResponse> call : calls) {
      CreateUserResponse response = call.get(10, TimeUnit.SECONDS); // every call in progress finished
      assertTrue(response.getCreated());
      created.add(response.getUser().getId());
    }
    assertEquals(30, created.size());
    // A successor drains the queue: every user that was answered "created" gets stored.
    idp.userinfoDelayMillis = 0;
    channelTo(replica(properties()));
    eventually(Duration.ofSeconds(15), () -> created.stream()
        .allMatch(id -> servers.redis.sync().exists(servers.userKey(id)) == 1));
    eventually(Duration.ofSeconds(5), () -> queueDepth("userfabric.user-created") == 0);
    assertEquals(0, queueDepth("userfabric.user-created.dlq"));
  }

  private Map<String, String> properties() throws Exception {
    Map<String, String> properties =
        servers.serviceProperties(TestServers.freePort(), idp.issuer(), TestIdentityProvider.AUDIENCE);
    properties.put("userfabric.rabbitmq.retry-first-pause", "50ms");
    properties.put("userfabric.rabbitmq.retry-max-pause", "500ms");
    return properties;
  }

  /** A replica in this JVM: its management server starts, and with it the gRPC server returned. */
  private EmbeddedServer replica(Map<String, String> properties) {
    EmbeddedServer management = ApplicationContext.run(EmbeddedServer.class, Map.copyOf(properties));
    cleanup.add(() -> {
      if (management.getApplicationContext().isRunning()) {
        management.close();
      }
    });
    return management.getApplicationContext().getBean(GrpcEmbeddedServer.class);
  }

  /** The replica's readiness probe, as Kubernetes would ask it: its HTTP status. */
  private static int readiness(EmbeddedServer grpcServer) throws Exception {
    EmbeddedServer management = grpcServer.getApplicationContext().getBeansOfType(EmbeddedServer.class).stream()
        .filter(server -> !(server instanceof GrpcEmbeddedServer)).findFirst().orElseThrow();
    var request = java.net.http.HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + management.getPort() + "/health/readiness")).build();
    return java.net.http.HttpClient.newHttpClient()
        .send(request, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private ManagedChannel channelTo(EmbeddedServer server) {
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    cleanup.add(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    return channel;
  }

  /** A channel to the replica once it reports SERVING (it connects to Redis and RabbitMQ in the background). */
  private ManagedChannel serving(EmbeddedServer server) throws InterruptedException {
    ManagedChannel channel = channelTo(server);
    eventually(Duration.ofSeconds(15), () -> health(channel) == ServingStatus.SERVING);
    return channel;
  }

  private TcpProxy brokerProxy() throws Exception {
    URI shared = URI.create(TestServers.RABBIT_URI);
    TcpProxy proxy = new TcpProxy(shared.getHost(), shared.getPort());
    cleanup.add(proxy);
    return proxy;
  }

  private CreateUserResponse createUser(ManagedChannel channel, String subject, long deadlineMillis) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
        "Bearer " + idp.tokenFor(subject));
    return UserServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS)
        .createUser(CreateUserRequest.getDefaultInstance());
  }

  private static ServingStatus health(ManagedChannel channel) {
    return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(2, TimeUnit.SECONDS)
        .check(HealthCheckRequest.newBuilder().setService("").build()).getStatus();
  }

  private static Status.Code failure(Callable<?> call) {
    try {
      call.call();
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("the call succeeded");
  }

  private void bindProbeQueue() throws Exception {
    eventually(Duration.ofSeconds(10), () -> exchangeExists(servers.namePrefix + "userfabric.events"));
    probeQueue = servers.channel.queueDeclare().getQueue();
    servers.channel.queueBind(probeQueue, servers.namePrefix + "userfabric.events", "#");
  }

  private boolean exchangeExists(String name) {
    try (var probe = servers.rabbit.createChannel()) {
      probe.exchangeDeclarePassive(name);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private long queueDepth(String queue) {
    String name = queue.equals(probeQueue) ? queue : servers.namePrefix + queue;
    try {
      return servers.channel.queueDeclarePassive(name).getMessageCount();
    } catch (java.io.IOException e) {
      throw new AssertionError("queue " + name + " cannot be inspected", e);
    }
  }

  private String userKey(CreateUserResponse created) {
    return servers.userKey(created.getUser().getId());
  }

  private static void eventually(Duration within, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "condition not met within " + within);
      Thread.sleep(50);
    }
  }
}
