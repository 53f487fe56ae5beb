package dev.userfabric.application.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.google.protobuf.Timestamp;
import dev.userfabric.adapter.oauth.testing.TestIdentityProvider;
import dev.userfabric.adapter.cache.RedisCacheSettings;
import dev.userfabric.adapter.cache.RedisUserCache;
import dev.userfabric.application.PackagedService;
import dev.userfabric.domain.testing.Users;
import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.proto.v1.CreateUserRequest;
import dev.userfabric.proto.v1.CreateUserResponse;
import dev.userfabric.proto.v1.User;
import dev.userfabric.proto.v1.UserCreated;
import dev.userfabric.proto.v1.UserProfile;
import dev.userfabric.proto.v1.UserServiceGrpc;
import dev.userfabric.testing.faults.FreePorts;
import dev.userfabric.testing.faults.RabbitBroker;
import dev.userfabric.testing.faults.RedisServer;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.net.URI;
import java.nio.file.Path;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * The benchmark ({@code ./bench.sh}): the building blocks measured alone, then the packaged
 * service against a Redis, a RabbitMQ node and a token-verifying issuer over HTTP of its own,
 * driven by {@link LoadGenerator}; everything on this machine's cores, side by side in one run.
 * Per path it prints the rate, the ratio to the limit the building blocks compose to (cores x 1 s
 * / the sum of their machine CPU per operation), latency at half that rate, machine and
 * per-process CPU per call, and the service's resident set.
 */
class Bench {

  private static final int CORES = Runtime.getRuntime().availableProcessors();
  private static final long SECONDS = Long.getLong("bench.seconds", 15);
  private static final long BLOCK_SECONDS = Long.getLong("bench.block-seconds", 4);
  /** Publishes a second for the confirm latency: about the new-user path's half load here. */
  private static final int CONFIRM_RATE = Integer.getInteger("bench.confirm-rate", 1_500);
  private static final int OUTSTANDING = Integer.getInteger("bench.outstanding", 64);
  private static final int KNOWN_USERS = Integer.getInteger("bench.known-users", 1000);
  private static final int NEW_USERS = Integer.getInteger("bench.new-users", 12_000);
  // The JIT compiles the new-user path (HTTP client, JSON, AMQP, the driver) for tens of seconds
  // on two busy cores (seen with JFR: its compiler threads took a third of the service's CPU in a
  // timed phase that began after 1,000 calls); a shorter warm-up measures the compiler.
  // Even after 20 s the compiler was still busy on the new-user path (jstat: a second of compiling
  // every second of a timed phase that followed), so the warm-up goes on in steps while the
  // compiler is busy for more than a fifth of a step, up to the longest warm-up.
  private static final long WARMUP_SECONDS = Long.getLong("bench.warmup-seconds", 20);
  private static final long WARMUP_MAX_SECONDS = Long.getLong("bench.warmup-max-seconds", 90);
  private static final long WARMUP_STEP_SECONDS = 5;
  private static final int BACKLOG = Integer.getInteger("bench.backlog", 30_000);
  private static final int MEMORY_MINUTES = Integer.getInteger("bench.memory-minutes", 10);
  /** Backlogs drained again by the same driver once the first is stored. */
  private static final int BACKLOG_ROUNDS_WARM = Integer.getInteger("bench.backlog-rounds-warm", 2);
  /** More settings for the service, e.g. -Dbench.service-properties=otel.exporter.otlp.endpoint=http://127.0.0.1:4317 */
  private static final String SERVICE_PROPERTIES = System.getProperty("bench.service-properties", "");
  private static final Set<String> PATHS = Set.of(System.getProperty("bench.paths", "existing,new,backlog").split(","));

  private final Map<String, Double> blockMicros = new LinkedHashMap<>();
  private final List<String> report = new ArrayList<>();
  private ServiceTimers timers; // the measured service's own, by its management port

  @Test
  public void bench() throws Exception {
    try (RedisServer redis = new RedisServer().start();
        RabbitBroker broker = new RabbitBroker().start();
        TestIdentityProvider idp = new TestIdentityProvider()) {
      idp.verifyUserinfoTokens = true;
      String prefix = "bench.";
      Map<String, Long> pids = new LinkedHashMap<>();
      pids.put("bench", ProcessHandle.current().pid());
      pids.put("redis", redis.pid());
      pids.put("rabbitmq", broker.pid());

      buildingBlocks(redis, broker, idp, pids);

      int port = FreePorts.next();
      int managementPort = FreePorts.next();
      Map<String, String> properties = new LinkedHashMap<>(serviceProperties());
      properties.put("micronaut.server.port", Integer.toString(managementPort));
      Process service = launch("service", PackagedService.with(
          PackagedService.wiredTo(port, idp.issuer(), TestIdentityProvider.AUDIENCE, redis.uri(), broker.uri(), prefix),
          properties));
      timers = new ServiceTimers(managementPort);
      pids.put("service", service.pid());
      FreePorts.awaitListening(port, java.time.Duration.ofSeconds(60), "the service");
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().directExecutor().build();
      LoadGenerator<CreateUserRequest, CreateUserResponse> createUser =
          new LoadGenerator<>(channel, UserServiceGrpc.getCreateUserMethod(), CreateUserRequest.getDefaultInstance());
      try {
        if (PATHS.contains("existing")) {
          existing(createUser, idp, redis, pids, service.pid());
        }
        if (PATHS.contains("new")) {
          fresh(createUser, idp, pids, service.pid());
        }
        if (PATHS.contains("memory")) {
          memory(createUser, idp, redis, service.pid());
        }
      } finally {
        channel.shutdownNow();
        service.destroy();
        service.waitFor(30, TimeUnit.SECONDS);
        pids.remove("service");
      }
      if (PATHS.contains("backlog")) {
        backlog(redis, broker, idp, prefix, pids);
      }
      System.out.println("\n=== userfabric benchmark: " + CORES + " cores, " + OUTSTANDING + " calls outstanding, "
          + SECONDS + " s a phase (machine CPU per operation in us)\n" + String.join("\n", report) + "\n");
    }
  }

  // --- the building blocks ---------------------------------------------------------------------

  private void buildingBlocks(RedisServer redis, RabbitBroker broker, TestIdentityProvider idp,
      Map<String, Long> pids) throws Exception {
    report.add("building blocks, each alone on all cores:");
    block("RS256 verify (Nimbus DefaultJWTProcessor)", pids, rs256Verify(idp));
    RedisClient client = RedisClient.create(redis.uri());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisAsyncCommands<String, String> commands = connection.async();
      commands.set("bench-block:get", "x").get();
      block("Redis GET (Lettuce, 50 in flight)", pids, inFlight(50, done -> commands.get("bench-block:get")
          .whenComplete((value, error) -> done.run())));
      AtomicLong keys = new AtomicLong();
      block("Redis SET NX (Lettuce, 50 in flight)", pids, inFlight(50, done -> commands.set(
          "bench-block:nx:" + keys.incrementAndGet(), "x", SetArgs.Builder.nx()).whenComplete((value, error) -> done.run())));
    } finally {
      client.shutdown();
    }
    int grpcPort = FreePorts.next();
    Server server = NettyServerBuilder.forPort(grpcPort).addService(new HealthStatusManager().getHealthService())
        .build().start();
    ManagedChannel grpcChannel = NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext()
        .directExecutor().build();
    try {
      block("gRPC unary (grpc-java health Check, 64 outstanding)", pids, grpcUnary(grpcChannel));
    } finally {
      grpcChannel.shutdownNow();
      server.shutdownNow();
    }
    block("userinfo of a token-verifying provider (HTTP, 32 in flight)", pids, userinfo(idp));
    block(STORE_BLOCK, pids, storeEvents(redis));
    block("RabbitMQ publish + consume, confirms and acks (quorum)", pids, publishConsume(broker));
    report.add(String.format("  %-62s %s", "RabbitMQ confirm latency, " + String.format("%,d", CONFIRM_RATE)
        + "/s open loop (quorum)", confirmLatency(broker)));
  }

  /**
   * The broker's part of a new user's latency: one publisher at a fixed rate, about the new-user
   * path's half load, into a quorum queue that a consumer drains, each publish timed from when it
   * was due until its confirm. A floor for the new path's p99, where throughput blocks say nothing.
   */
  private static String confirmLatency(RabbitBroker broker) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(broker.uri());
    try (Connection connection = factory.newConnection("bench-confirm-latency")) {
      Channel publisher = connection.createChannel();
      String queue = drainedQuorumQueue(connection, publisher, "bench-confirm-", 256, () -> { });
      java.util.concurrent.ConcurrentNavigableMap<Long, Long> dueAt = new java.util.concurrent.ConcurrentSkipListMap<>();
      Histogram latency = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(60), 3);
      com.rabbitmq.client.ConfirmCallback settled = (tag, multiple) -> {
        long now = System.nanoTime();
        var confirmed = multiple ? dueAt.headMap(tag, true) : dueAt.subMap(tag, true, tag, true);
        confirmed.values().forEach(due -> latency.recordValue(now - due));
        confirmed.clear();
      };
      publisher.addConfirmListener(settled, settled);
      byte[] body = new byte[300];
      AMQP.BasicProperties persistent = new AMQP.BasicProperties.Builder().deliveryMode(2).build();
      long interval = TimeUnit.SECONDS.toNanos(1) / CONFIRM_RATE;
      long start = System.nanoTime();
      long count = CONFIRM_RATE * BLOCK_SECONDS * 2;
      for (long i = 0; i < count; i++) {
        long due = start + i * interval;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        dueAt.put(publisher.getNextPublishSeqNo(), due);
        publisher.basicPublish("", queue, persistent, body);
      }
      // The client runs the confirm listener before it releases this wait, so every latency is in.
      publisher.waitForConfirmsOrDie(TimeUnit.SECONDS.toMillis(30));
      publisher.queueDelete(queue);
      return String.format("p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f ms",
          latency.getValueAtPercentile(50) / 1e6, latency.getValueAtPercentile(90) / 1e6,
          latency.getValueAtPercentile(99) / 1e6, latency.getValueAtPercentile(99.9) / 1e6);
    }
  }

  private static final String STORE_BLOCK = "store one UserCreated (its Redis script, 50 in flight)";

  /**
   * What storing one event costs Redis and its client at least: the store's own apply script
   * (RedisUserCache.apply, one round trip), from 50 threads at once, no broker.
   */
  private static Load storeEvents(RedisServer redis) {
    return nanos -> {
      long end = System.nanoTime() + nanos;
      AtomicLong stored = new AtomicLong();
      try (RedisUserCache cache = new RedisUserCache(RedisCacheSettings.of(redis.uri(), "bench-block:"));
           ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int w = 0; w < 50; w++) {
          writers.execute(() -> {
            while (System.nanoTime() < end) {
              cache.apply(Users.created(Users.fullUser("bench-store-" + UUID.randomUUID())));
              stored.incrementAndGet();
            }
          });
        }
      }
      return stored.get();
    };
  }

  private interface Load {
    /** Runs for the given time and says how many operations it did. */
    long run(long nanos) throws Exception;
  }

  private interface AsyncOp {
    void start(Runnable done);
  }

  private void block(String name, Map<String, Long> pids, Load load) throws Exception {
    load.run(TimeUnit.SECONDS.toNanos(BLOCK_SECONDS)); // warm-up: the JIT, connections, pools
    Machine.CpuMeter meter = new Machine.CpuMeter(pids);
    long ops = load.run(TimeUnit.SECONDS.toNanos(BLOCK_SECONDS));
    Machine.Reading reading = meter.read();
    double perOp = reading.machinePerOp(ops);
    blockMicros.put(name, perOp);
    report.add(String.format("  %-62s %9.0f/s %8.1f us", name, ops * 1e6 / reading.wallMicros(), perOp));
  }

  private static Load inFlight(int concurrency, AsyncOp op) {
    return nanos -> {
      long end = System.nanoTime() + nanos;
      AtomicLong done = new AtomicLong();
      CountDownLatch finished = new CountDownLatch(concurrency);
      for (int i = 0; i < concurrency; i++) {
        Runnable[] loop = new Runnable[1];
        loop[0] = () -> {
          if (System.nanoTime() >= end) {
            finished.countDown();
            return;
          }
          op.start(() -> {
            done.incrementAndGet();
            loop[0].run();
          });
        };
        loop[0].run();
      }
      finished.await();
      return done.get();
    };
  }

  private static Load rs256Verify(TestIdentityProvider idp) throws Exception {
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
        new ImmutableJWKSet<>(new JWKSet(idp.key.toPublicJWK()))));
    processor.setJWSTypeVerifier((type, context) -> { });
    processor.setJWTClaimsSetVerifier(null);
    String token = idp.tokenFor("bench-verify");
    return nanos -> {
      long end = System.nanoTime() + nanos;
      AtomicLong ops = new AtomicLong();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < CORES; t++) {
        threads.add(Thread.ofPlatform().start(() -> {
          try {
            while (System.nanoTime() < end) {
              processor.process(token, null);
              ops.incrementAndGet();
            }
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }));
      }
      for (Thread thread : threads) {
        thread.join();
      }
      return ops.get();
    };
  }

  private static Load grpcUnary(ManagedChannel channel) {
    LoadGenerator<HealthCheckRequest, ?> load =
        new LoadGenerator<>(channel, HealthGrpc.getCheckMethod(), HealthCheckRequest.getDefaultInstance());
    return nanos -> load.closedLoop(OUTSTANDING, nanos, i -> "").calls();
  }

  private static Load userinfo(TestIdentityProvider idp) {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create(idp.issuer() + "/userinfo"))
        .header("Authorization", "Bearer " + idp.tokenFor("bench-userinfo")).build();
    return inFlight(32, done -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .whenComplete((response, error) -> done.run()));
  }

  private static Load publishConsume(RabbitBroker broker) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(broker.uri());
    return nanos -> {
      try (Connection connection = factory.newConnection("bench-block")) {
        Channel publisher = connection.createChannel();
        AtomicLong consumed = new AtomicLong();
        String queue = drainedQuorumQueue(connection, publisher, "bench-block-", 64, consumed::incrementAndGet);
        Semaphore window = new Semaphore(64);
        java.util.concurrent.ConcurrentNavigableMap<Long, Boolean> unconfirmed = new java.util.concurrent.ConcurrentSkipListMap<>();
        com.rabbitmq.client.ConfirmCallback settled = (tag, multiple) -> {
          var confirmed = multiple ? unconfirmed.headMap(tag, true) : unconfirmed.subMap(tag, true, tag, true);
          int count = confirmed.size();
          confirmed.clear();
          window.release(count);
        };
        publisher.addConfirmListener(settled, settled);
        long end = System.nanoTime() + nanos;
        byte[] body = new byte[300];
        AMQP.BasicProperties persistent = new AMQP.BasicProperties.Builder().deliveryMode(2).build();
        long published = 0;
        while (System.nanoTime() < end) {
          window.acquire();
          unconfirmed.put(publisher.getNextPublishSeqNo(), Boolean.TRUE);
          publisher.basicPublish("", queue, persistent, body);
          published++;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (consumed.get() < published && System.nanoTime() < deadline) {
          Thread.sleep(1);
        }
        publisher.queueDelete(queue);
        return consumed.get();
      }
    };
  }

  /** A fresh quorum queue, confirms on for the publisher, and a consumer acking whatever arrives. */
  private static String drainedQuorumQueue(Connection connection, Channel publisher, String prefix, int prefetch,
      Runnable onDelivery) throws java.io.IOException {
    Channel consumer = connection.createChannel();
    String queue = prefix + UUID.randomUUID();
    publisher.queueDeclare(queue, true, false, false, Map.of("x-queue-type", "quorum"));
    publisher.confirmSelect();
    ackEverything(consumer, queue, prefetch, onDelivery);
    return queue;
  }

  /** Consumes the queue on the channel, acking each delivery as it arrives (what a broker drain is). */
  private static void ackEverything(Channel consumer, String queue, int prefetch, Runnable onDelivery)
      throws java.io.IOException {
    consumer.basicQos(prefetch);
    consumer.basicConsume(queue, false, new DefaultConsumer(consumer) {
      @Override
      public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
          throws java.io.IOException {
        consumer.basicAck(envelope.getDeliveryTag(), false);
        onDelivery.run();
      }
    });
  }

  // --- the service's paths -------------------------------------------------------------------

  private void existing(LoadGenerator<CreateUserRequest, CreateUserResponse> createUser, TestIdentityProvider idp,
      RedisServer redis, Map<String, Long> pids, long servicePid) throws Exception {
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < KNOWN_USERS; i++) {
      tokens.add(idp.tokenFor("bench-known-" + i));
    }
    // Create them all, then wait until every one is stored, so the timed phase only finds them.
    createUser.closedLoop(OUTSTANDING, TimeUnit.MINUTES.toNanos(5), i -> i < KNOWN_USERS ? tokens.get(i) : null);
    awaitStored(redis, KNOWN_USERS);
    WarmUp warmUp = warmUp(createUser, servicePid, rate -> i -> tokens.get(i % KNOWN_USERS));
    path("existing", warmUp.summary(), createUser, pids, servicePid, i -> tokens.get(i % KNOWN_USERS), i -> tokens.get(i % KNOWN_USERS),
        blockMicros.get("RS256 verify (Nimbus DefaultJWTProcessor)")
            + blockMicros.get("Redis GET (Lettuce, 50 in flight)")
            + blockMicros.get("gRPC unary (grpc-java health Check, 64 outstanding)"));
  }

  private void fresh(LoadGenerator<CreateUserRequest, CreateUserResponse> createUser, TestIdentityProvider idp,
      Map<String, Long> pids, long servicePid) throws Exception {
    // Each step of new users its own fresh tokens: enough for the step at the last step's rate.
    AtomicLong steps = new AtomicLong();
    WarmUp warmUp = warmUp(createUser, servicePid, rate -> {
      List<String> fresh = mint(idp, "bench-new-warm-up-" + steps.incrementAndGet() + "-",
          (int) Math.max(2_000, rate * WARMUP_STEP_SECONDS * 1.5));
      return i -> i < fresh.size() ? fresh.get(i) : null;
    });
    // Enough for the whole phase at the warmed-up rate, with room to spare.
    List<String> closed = mint(idp, "bench-new-", (int) Math.max(NEW_USERS, warmUp.rate() * SECONDS * 1.5));
    List<String> open = mint(idp, "bench-new-open-", (int) Math.max(NEW_USERS, warmUp.rate() / 2 * SECONDS * 1.5));
    path("new", warmUp.summary(), createUser, pids, servicePid, i -> i < closed.size() ? closed.get(i) : null,
        i -> i < open.size() ? open.get(i) : null,
        blockMicros.get("RS256 verify (Nimbus DefaultJWTProcessor)")
            + blockMicros.get("Redis GET (Lettuce, 50 in flight)")
            + blockMicros.get("gRPC unary (grpc-java health Check, 64 outstanding)")
            + blockMicros.get("userinfo of a token-verifying provider (HTTP, 32 in flight)")
            + blockMicros.get("RabbitMQ publish + consume, confirms and acks (quorum)")
            + blockMicros.get("Redis SET NX (Lettuce, 50 in flight)"));
  }

  /** The tokens of one warm-up step, given the rate of the step before (0 at first). */
  private interface StepTokens {
    IntFunction<String> forStep(double lastRate) throws Exception;
  }

  /**
   * Drives the path in steps of {@link #WARMUP_STEP_SECONDS} for at least {@link #WARMUP_SECONDS},
   * then for as long as the service's compiler was busy for more than a fifth of the last step,
   * and at most {@link #WARMUP_MAX_SECONDS}. Says what it did.
   */
  private record WarmUp(String summary, double rate) {}

  private static WarmUp warmUp(LoadGenerator<CreateUserRequest, CreateUserResponse> createUser, long servicePid,
      StepTokens tokens) throws Exception {
    long warmed = 0;
    double rate = 0;
    double compiling;
    do {
      IntFunction<String> step = tokens.forStep(rate);
      double before = compileSeconds(servicePid);
      LoadGenerator.Result result = createUser.closedLoop(OUTSTANDING, TimeUnit.SECONDS.toNanos(WARMUP_STEP_SECONDS), step);
      compiling = compileSeconds(servicePid) - before;
      rate = result.rate();
      warmed += WARMUP_STEP_SECONDS;
    } while (warmed < WARMUP_SECONDS || (compiling > WARMUP_STEP_SECONDS / 5.0 && warmed < WARMUP_MAX_SECONDS));
    return new WarmUp(String.format("warmed up for %d s of load; its last %d s: %,.0f calls/s, %.1f s of compiling",
        warmed, WARMUP_STEP_SECONDS, rate, compiling), rate);
  }

  private void path(String name, String warmUp, LoadGenerator<CreateUserRequest, CreateUserResponse> createUser,
      Map<String, Long> pids, long servicePid, IntFunction<String> closedTokens, IntFunction<String> openTokens,
      double composedMicros) throws Exception {
    double limit = CORES * 1e6 / composedMicros;
    RssSampler rss = new RssSampler(servicePid);
    double compiledBefore = compileSeconds(servicePid);
    Machine.CpuMeter meter = new Machine.CpuMeter(pids);
    LoadGenerator.Result full = createUser.closedLoop(OUTSTANDING, TimeUnit.SECONDS.toNanos(SECONDS), closedTokens);
    Machine.Reading cpu = meter.read();
    double compiling = compileSeconds(servicePid) - compiledBefore;
    ServiceTimers.Snapshot halfStart = timers.read();
    LoadGenerator.Result half = createUser.openLoop(full.rate() / 2, TimeUnit.SECONDS.toNanos(SECONDS), openTokens);
    String halfTimers = timers.read().since(halfStart);
    rss.stop();
    report.add(String.format("""
        %s: %,.0f calls/s = %.0f %% of the composed limit %,.0f/s (%.1f us)
          %s
          full load : %s, errors %s
          CPU a call: machine %.0f us (%s)
          the service's JIT compiler in that phase: %.1f s of compilation in %.0f s
          half load (%,.0f/s open loop): %s, errors %s
            the service's timers there, mean (count): %s
          service RSS: max %d MiB""",
        name, full.rate(), 100 * full.rate() / limit, limit, composedMicros, warmUp, full.latencyMillis(), full.errors(),
        cpu.machinePerOp(full.calls()), cpu.perProcess(full.calls()), compiling, full.wallNanos() / 1e9,
        full.rate() / 2, half.latencyMillis(), half.errors(), halfTimers, rss.max()));
  }

  /**
   * How long a process's JIT compilers have spent compiling so far (jstat's total, wall time of
   * each compilation): a timed phase during which it grows much is measuring the compiler too.
   */
  private static double compileSeconds(long pid) throws Exception {
    String jstat = Path.of(ProcessHandle.current().info().command().orElseThrow()).resolveSibling("jstat").toString();
    Process process = new ProcessBuilder(jstat, "-compiler", Long.toString(pid)).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0, "jstat failed: " + output);
    // Compiled Failed Invalid   Time   FailedType FailedMethod
    //    11024      0       0    25.40          0
    String[] columns = output.strip().lines().reduce((first, last) -> last).orElseThrow().strip().split("\\s+");
    return Double.parseDouble(columns[3].replace(',', '.'));
  }

  /**
   * The resident set over a long run at half load ({@code ./bench.sh memory}, not in the default
   * paths): known users at half the rate they reach, one call in a hundred a new user, for
   * {@code bench.memory-minutes} (10). Prints each minute's resident set, latency and errors, then
   * the growth from the second minute (the first holds the warm-up's growth) to the last.
   */
  private void memory(LoadGenerator<CreateUserRequest, CreateUserResponse> createUser, TestIdentityProvider idp,
      RedisServer redis, long servicePid) throws Exception {
    // Tokens that outlive the run (the service takes lifetimes up to 24 h).
    long lifetime = TimeUnit.MINUTES.toSeconds(MEMORY_MINUTES + 30);
    List<String> known = new ArrayList<>();
    for (int i = 0; i < KNOWN_USERS; i++) {
      String subject = "bench-memory-known-" + i;
      known.add(idp.tokenWith(claims -> claims.subject(subject)
          .expirationTime(java.util.Date.from(Instant.now().plusSeconds(lifetime)))));
    }
    createUser.closedLoop(OUTSTANDING, TimeUnit.MINUTES.toNanos(5), i -> i < KNOWN_USERS ? known.get(i) : null);
    awaitStored(redis, KNOWN_USERS);
    WarmUp warmUp = warmUp(createUser, servicePid, rate -> i -> known.get(i % KNOWN_USERS));
    // Minted before the rate is measured, so that the open loop starts on a busy service rather
    // than on one (and a load generator) that sat out half a minute of minting.
    int newUsers = (int) (warmUp.rate() / 2 * 60 * MEMORY_MINUTES / 100 * 1.5) + 100;
    String run = Long.toString(System.nanoTime(), 36);
    String[] fresh = new String[newUsers];
    for (int i = 0; i < newUsers; i++) {
      String subject = "bench-memory-new-" + run + "-" + i;
      fresh[i] = idp.tokenWith(claims -> claims.subject(subject)
          .expirationTime(java.util.Date.from(Instant.now().plusSeconds(lifetime))));
    }
    double halfRate = createUser.closedLoop(OUTSTANDING, TimeUnit.SECONDS.toNanos(SECONDS),
        i -> known.get(i % KNOWN_USERS)).rate() / 2;
    report.add(String.format("memory: %,.0f calls/s open loop for %d minutes, 1 in 100 a new user (%s)",
        halfRate, MEMORY_MINUTES, warmUp.summary()));
    java.util.concurrent.atomic.AtomicInteger nextNew = new java.util.concurrent.atomic.AtomicInteger();
    long second = 0;
    for (int minute = 1; minute <= MEMORY_MINUTES; minute++) {
      RssSampler rss = new RssSampler(servicePid);
      LoadGenerator.Result result = createUser.openLoop(halfRate, TimeUnit.MINUTES.toNanos(1), i -> {
        if (i % 100 == 99) {
          int n = nextNew.getAndIncrement();
          return n < fresh.length ? fresh[n] : null;
        }
        return known.get(i % KNOWN_USERS);
      });
      rss.stop();
      long now = Machine.residentMegabytes(servicePid);
      if (minute == 2) {
        second = now;
      }
      report.add(String.format("  minute %2d: RSS %d MiB (max %d), %,d calls, %s, errors %s", minute, now, rss.max(),
          result.calls(), result.latencyMillis(), result.errors()));
    }
    report.add(String.format("  resident set from the end of minute 2 to the end: %+d MiB",
        Machine.residentMegabytes(servicePid) - second));
  }

  private static List<String> mint(TestIdentityProvider idp, String prefix, int count) throws InterruptedException {
    String[] tokens = new String[count];
    List<Thread> threads = new ArrayList<>();
    String run = Long.toString(System.nanoTime(), 36);
    for (int t = 0; t < CORES; t++) {
      int first = t;
      threads.add(Thread.ofPlatform().start(() -> {
        for (int i = first; i < count; i += CORES) {
          tokens[i] = idp.tokenFor(prefix + run + "-" + i);
        }
      }));
    }
    for (Thread thread : threads) {
      thread.join();
    }
    return List.of(tokens);
  }

  private static void awaitStored(RedisServer redis, long atLeast) throws Exception {
    try (StoredUsers stored = new StoredUsers(redis, "bench.")) {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (stored.count() < atLeast) {
        assertTrue(System.nanoTime() < deadline, "the users were never stored");
        Thread.sleep(100);
      }
    }
  }

  /**
   * Counts the stored users by the listing index's shards, all in one pipelined round trip of
   * O(1) commands: a poll that scanned the key space (KEYS) would cost Redis, which serves the
   * measured driver on one thread, more than the driver's own writes.
   */
  private static final class StoredUsers implements AutoCloseable {
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final String prefix;

    StoredUsers(RedisServer redis, String prefix) {
      this.client = RedisClient.create(redis.uri());
      this.connection = client.connect();
      this.prefix = prefix;
    }

    long count() throws Exception {
      RedisAsyncCommands<String, String> commands = connection.async();
      List<io.lettuce.core.RedisFuture<Long>> shards = new ArrayList<>(256);
      for (int shard = 0; shard < 256; shard++) {
        shards.add(commands.zcard(prefix + String.format("{u%02x}users", shard)));
      }
      long total = 0;
      for (io.lettuce.core.RedisFuture<Long> shard : shards) {
        total += shard.get(10, TimeUnit.SECONDS);
      }
      return total;
    }

    @Override
    public void close() {
      connection.close();
      client.shutdown();
    }
  }

  // --- the backlog ---------------------------------------------------------------------------

  private void backlog(RedisServer redis, RabbitBroker broker, TestIdentityProvider idp, String prefix,
      Map<String, Long> pids) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(broker.uri());
    String queue = prefix + "userfabric.user-created";
    double brokerRate;
    double drainMicros;
    try (Connection connection = factory.newConnection("bench-backlog"); Channel channel = connection.createChannel()) {
      // The broker's own drain rate: the same number of messages, consumed and acked, nothing done.
      String scratch = "bench-drain-" + UUID.randomUUID();
      channel.queueDeclare(scratch, true, false, false, Map.of("x-queue-type", "quorum"));
      fill(channel, "", scratch, idp, "bench-drain-");
      Machine.CpuMeter drainMeter = new Machine.CpuMeter(pids);
      brokerRate = drain(connection, scratch);
      drainMicros = drainMeter.read().machinePerOp(BACKLOG);
      channel.queueDelete(scratch);
      // Our driver's: the events a burst of sign-ups left while it was stopped.
      fill(channel, prefix + "userfabric.events", "user.created", idp, "bench-backlog-");
    }
    StoredUsers stored = new StoredUsers(redis, prefix);
    long storedBefore = stored.count();
    int port = FreePorts.next();
    long launched = System.nanoTime();
    Process driver = launch("driver", PackagedService.with(
        PackagedService.wiredTo(port, idp.issuer(), TestIdentityProvider.AUDIENCE, redis.uri(), broker.uri(), prefix),
        serviceProperties()));
    pids.put("driver", driver.pid());
    // Draining alone already uses the machine: the limit that also stores each event.
    double storeMicros = blockMicros.get(STORE_BLOCK);
    double composedLimit = CORES * 1e6 / (drainMicros + storeMicros);
    try (Connection connection = factory.newConnection("bench-backlog-watch"); Channel watch = connection.createChannel()) {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (watch.queueDeclarePassive(queue).getMessageCount() >= BACKLOG) {
        assertTrue(System.nanoTime() < deadline, "the driver never started");
        Thread.sleep(1);
      }
      long firstTaken = System.nanoTime();
      Drained cold = timeDrain(stored, storedBefore + BACKLOG, pids, driver.pid());
      // The rate counts from the first delivery taken; a driver that took its first later (or
      // sooner) in its start-up would look faster (or slower) by it. This counts from the launch.
      double sinceLaunch = (firstTaken - launched) / 1e9 + BACKLOG / cold.rate();
      report.add(String.format("""
          backlog: %,d events stored at %,.0f/s = %.0f %% of the broker's own drain rate %,.0f/s
            = %.0f %% of the composed limit %,.0f/s (drain %.1f us + store %.1f us an event)
            from the driver's launch to the last event stored: %.2f s (the first taken after %.2f s)
            CPU an event: machine %.0f us (%s)
            driver RSS: max %d MiB""", BACKLOG, cold.rate(), 100 * cold.rate() / brokerRate, brokerRate,
          100 * cold.rate() / composedLimit, composedLimit, drainMicros, storeMicros,
          sinceLaunch, (firstTaken - launched) / 1e9,
          cold.cpu().machinePerOp(BACKLOG), cold.cpu().perProcess(BACKLOG), cold.rssMax()));
      // The same driver again, now that it has run: frozen while another backlog is queued (as a
      // driver that could not store, or lost the broker, finds one), then thawed. A driver that
      // has just started spends much of a short drain compiling its own code; the later rounds
      // show the rate it keeps once it has.
      for (int round = 2; round <= 1 + BACKLOG_ROUNDS_WARM; round++) {
        signal("STOP", driver.pid());
        try (Channel channel = connection.createChannel()) {
          fill(channel, prefix + "userfabric.events", "user.created", idp, "bench-backlog-" + round + "-");
        } finally {
          signal("CONT", driver.pid());
        }
        Drained warm = timeDrain(stored, storedBefore + (long) round * BACKLOG, pids, driver.pid());
        report.add(String.format("""
            backlog round %d, the same driver frozen while it was queued: %,.0f/s = %.0f %% of the broker's drain rate
              = %.0f %% of the composed limit; CPU an event: machine %.0f us (%s)""", round,
            warm.rate(), 100 * warm.rate() / brokerRate, 100 * warm.rate() / composedLimit,
            warm.cpu().machinePerOp(BACKLOG), warm.cpu().perProcess(BACKLOG)));
      }
    } finally {
      stored.close();
      driver.destroy();
      driver.waitFor(30, TimeUnit.SECONDS);
      pids.remove("driver");
    }
  }

  private record Drained(double rate, Machine.Reading cpu, long rssMax) {}

  /** Times the driver from now until the store holds {@code storedTotal} users. */
  private static Drained timeDrain(StoredUsers stored, long storedTotal, Map<String, Long> pids, long driverPid)
      throws Exception {
    long started = System.nanoTime();
    long deadline = started + TimeUnit.MINUTES.toNanos(5);
    Machine.CpuMeter meter = new Machine.CpuMeter(pids);
    RssSampler rss = new RssSampler(driverPid);
    while (stored.count() < storedTotal) {
      assertTrue(System.nanoTime() < deadline, "the backlog was never stored");
      Thread.sleep(20); // 256 O(1) commands a poll: a small share of what the driver sends
    }
    long took = System.nanoTime() - started;
    Machine.Reading cpu = meter.read();
    rss.stop();
    return new Drained(BACKLOG * 1e9 / took, cpu, rss.max());
  }

  /** Sends a signal to a process this benchmark started (never one found by name). */
  private static void signal(String name, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
    assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + name + " " + pid + " failed");
  }

  private static void fill(Channel channel, String exchange, String routingKey, TestIdentityProvider idp,
      String subjectPrefix) throws Exception {
    channel.confirmSelect();
    Instant now = Instant.now();
    for (int i = 0; i < BACKLOG; i++) {
      String subject = subjectPrefix + i;
      String id = UserId.of(new Identity(idp.issuer(), subject)).toString();
      UserCreated event = UserCreated.newBuilder()
          .setEventId(UUID.randomUUID().toString())
          .setOccurredAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond()))
          .setUser(User.newBuilder().setId(id).setIssuer(idp.issuer()).setSubject(subject)
              .setProfile(UserProfile.newBuilder().setEmail(subject + "@example.test").setEmailVerified(true)
                  .setName(subject + " Lovelace"))
              .setCreatedAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond())))
          .build();
      AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
          .type("userfabric.v1.UserCreated").contentType("application/x-protobuf")
          .messageId(event.getEventId()).timestamp(Date.from(now)).deliveryMode(2).appId("userfabric")
          .headers(Map.of("proto-message", "userfabric.v1.UserCreated", "user-id", id)).build();
      channel.basicPublish(exchange, routingKey, true, properties, event.toByteArray());
      if (i % 1000 == 999) {
        channel.waitForConfirmsOrDie(30_000);
      }
    }
    channel.waitForConfirmsOrDie(30_000);
  }

  private static double drain(Connection connection, String queue) throws Exception {
    CountDownLatch drained = new CountDownLatch(BACKLOG);
    List<Channel> consumers = new ArrayList<>();
    long started = System.nanoTime();
    for (int c = 0; c < 2; c++) {
      Channel consumer = connection.createChannel();
      ackEverything(consumer, queue, 32, drained::countDown);
      consumers.add(consumer);
    }
    assertTrue(drained.await(5, TimeUnit.MINUTES), "the broker never drained the queue");
    double rate = BACKLOG * 1e9 / (System.nanoTime() - started);
    for (Channel consumer : consumers) {
      consumer.close();
    }
    return rate;
  }

  // --- the service ---------------------------------------------------------------------------

  /** Samples a process's resident set every 100 ms until stopped; remembers the largest. */
  private static final class RssSampler {
    private final Thread sampler;
    private volatile long max;
    private volatile boolean stopped;

    RssSampler(long pid) {
      sampler = Thread.ofPlatform().daemon().start(() -> {
        while (!stopped) {
          max = Math.max(max, Machine.residentMegabytes(pid));
          try {
            Thread.sleep(100);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
    }

    void stop() throws InterruptedException {
      stopped = true;
      sampler.join();
    }

    long max() {
      return max;
    }
  }

  /** The packaged service as ./userfabric starts it. */
  private static Process launch(String role, Map<String, String> properties) throws Exception {
    // Separated by spaces or '|' (BENCH_OPTS is split on spaces before Maven sees it).
    List<String> more = List.of(System.getProperty("bench.service-jvm-options", "").split("[ |]")).stream()
        .filter(option -> !option.isBlank()).toList();
    return PackagedService.start("bench-" + role, properties, more);
  }

  private static Map<String, String> serviceProperties() {
    Map<String, String> properties = new LinkedHashMap<>(Map.of("userfabric.grpc.max-concurrent-calls", "1000"));
    for (String setting : SERVICE_PROPERTIES.split(",")) {
      if (!setting.isBlank()) {
        properties.put(setting.substring(0, setting.indexOf('=')).strip(), setting.substring(setting.indexOf('=') + 1).strip());
      }
    }
    return properties;
  }
}
