package dev.userfabric.adapter.cache;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ReadFrom;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.Optional;
import java.util.function.Supplier;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerCommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.RedisCommand;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the Lettuce client and its one shared connection (thread-safe and pipelined). If Redis is
 * not there at start, it keeps connecting in the background so the service starts anyway; once
 * connected, Lettuce reconnects by itself. Until then, and while disconnected, commands fail at
 * once instead of queueing, and each command waits no longer than the command timeout or the
 * caller's budget (see {@link #openInBackground(RedisCacheSettings, MeterRegistry, UnaryOperator)}),
 * whichever is shorter.
 */
public final class RedisConnector implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RedisConnector.class);
  private static final Duration MAX_CONNECT_PAUSE = Duration.ofMillis(500);

  private final ClientResources resources;
  private final Duration commandTimeout;
  private final UnaryOperator<Duration> callerBudget;
  private final Tracer tracer;
  private final ScheduledExecutorService connecting = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().daemon().name("redis-connect").factory());
  private static final Duration REFRESH_AT_MOST_EVERY = Duration.ofMillis(200);
  private final AtomicLong lastRefresh = new AtomicLong(System.nanoTime());
  private final AbstractRedisClient client;
  private final Supplier<Opened> opening;
  private volatile Opened connection;

  /** One connection, to a standalone server or a cluster; the commands' API is the same. */
  private record Opened(StatefulConnection<String, String> connection, RedisClusterAsyncCommands<String, String> commands) {}
  private volatile boolean closed;
  private final CompletableFuture<Void> firstConnected = new CompletableFuture<>();

  /** Connects now (briefly), then in the background until Redis answers. Share one per process. */
  public RedisConnector(RedisCacheSettings settings) {
    this(settings, false, CommandLatencyRecorder.disabled(), UnaryOperator.identity(), OpenTelemetry.noop());
  }

  /**
   * Connects in the background from the start, so that a service can connect to its other
   * servers at the same time; {@link #isConnected()} says when it is done.
   */
  public static RedisConnector openInBackground(RedisCacheSettings settings) {
    return new RedisConnector(settings, true, CommandLatencyRecorder.disabled(), UnaryOperator.identity(),
        OpenTelemetry.noop());
  }

  /**
   * The same, with every command's latency reported to {@code registry} by Lettuce's own
   * Micrometer recorder ({@code lettuce.command.completion}, {@code .firstresponse}, by command),
   * with histogram buckets.
   */
  public static RedisConnector openInBackground(RedisCacheSettings settings, MeterRegistry registry) {
    return openInBackground(settings, registry, UnaryOperator.identity());
  }

  /**
   * @param callerBudget the timeout for one command: the one given, or less when the caller that
   *     waits for it will not wait that long; it throws {@code CallAbandoned} when the caller has
   *     gone. {@link UnaryOperator#identity()} when nobody waits but the process itself.
   */
  public static RedisConnector openInBackground(RedisCacheSettings settings, MeterRegistry registry,
      UnaryOperator<Duration> callerBudget) {
    return openInBackground(settings, registry, callerBudget, OpenTelemetry.noop());
  }

  /** @param openTelemetry where a CLIENT span per command (or pipelined batch) goes */
  public static RedisConnector openInBackground(RedisCacheSettings settings, MeterRegistry registry,
      UnaryOperator<Duration> callerBudget, OpenTelemetry openTelemetry) {
    return new RedisConnector(settings, true,
        // Buckets, not client-side percentiles: those cannot be aggregated across replicas, and
        // would need HdrHistogram, which the service does not ship.
        new MicrometerCommandLatencyRecorder(registry,
            MicrometerOptions.builder().histogram(true).targetPercentiles(new double[0]).build()), callerBudget,
        openTelemetry);
  }

  private RedisConnector(RedisCacheSettings settings, boolean inBackground, CommandLatencyRecorder latencies,
      UnaryOperator<Duration> callerBudget, OpenTelemetry openTelemetry) {
    this.callerBudget = callerBudget;
    this.tracer = openTelemetry.getTracer("dev.userfabric.cache");
    this.commandTimeout = settings.commandTimeout();
    resources = ClientResources.builder()
        .reconnectDelay(Delay.exponential(Duration.ofMillis(50), MAX_CONNECT_PAUSE, 2, TimeUnit.MILLISECONDS))
        .commandLatencyRecorder(latencies)
        .build();
    ClientOptions options = ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .requestQueueSize(settings.requestQueueSize())
        .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
        .socketOptions(SocketOptions.builder().connectTimeout(commandTimeout).build())
        .build();
    Optional<List<RedisURI>> seeds = RedisClusterUris.seeds(settings.uri());
    if (seeds.isPresent()) {
      seeds.get().forEach(seed -> seed.setTimeout(commandTimeout));
      RedisClusterClient cluster = RedisClusterClient.create(resources, seeds.get());
      cluster.setOptions(ClusterClientOptions.builder(options)
          // The cluster's map, kept current: every 10 s, and at once on MOVED, ASK, a lost
          // connection or an unknown node, so a failover is followed within moments.
          .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
              .enablePeriodicRefresh(Duration.ofSeconds(10))
              .enableAllAdaptiveRefreshTriggers()
              .adaptiveRefreshTriggersTimeout(Duration.ofMillis(200))
              .build())
          .build());
      client = cluster;
      opening = () -> {
        StatefulRedisClusterConnection<String, String> connected = cluster.connect(Utf8Codec.INSTANCE);
        // Reads go to masters: a replica lags, and a user just stored must be found.
        connected.setReadFrom(ReadFrom.UPSTREAM);
        return new Opened(connected, connected.async());
      };
    } else {
      RedisURI uri = RedisURI.create(settings.uri());
      uri.setTimeout(commandTimeout);
      RedisClient standalone = RedisClient.create(resources, uri);
      standalone.setOptions(options);
      client = standalone;
      opening = () -> {
        StatefulRedisConnection<String, String> connected = standalone.connect(Utf8Codec.INSTANCE);
        return new Opened(connected, connected.async());
      };
    }
    if (inBackground) {
      connecting.execute(() -> connect(Duration.ofMillis(100)));
    } else {
      connect(Duration.ofMillis(100));
    }
  }

  /**
   * Runs {@code action} once the first connection is made (at once if it has been), on the
   * connecting thread; Lettuce re-establishes later losses by itself.
   */
  public void whenConnected(Runnable action) {
    firstConnected.thenRun(action);
  }

  /** Whether commands can be sent now. */
  public boolean isConnected() {
    Opened current = connection;
    return current != null && current.connection().isOpen();
  }

  /**
   * Sends one command and waits for its reply within the command timeout or the caller's budget;
   * not connected, a timeout or an error reply becomes the caller's own failure.
   */
  <T> T call(Function<RedisClusterAsyncCommands<String, String>, RedisFuture<T>> command,
      Function<RedisException, RuntimeException> failure) {
    Span span = commandSpan();
    try {
      return send(command, span);
    } catch (RedisException e) {
      span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
      throw failure.apply(e);
    } finally {
      span.end();
    }
  }

  /**
   * As {@link #call}, but sent now and awaited when its answer is asked for, within what is left
   * of the command timeout or the caller's budget then: a caller with another command to wait for
   * meanwhile has both on the wire at once, and the second reply has usually arrived with the
   * first. Not connected, the failure comes from the answer too, so nothing is thrown before the
   * caller asks; an answer never asked for is dropped with its reply.
   */
  <T> Supplier<T> callAhead(Function<RedisClusterAsyncCommands<String, String>, RedisFuture<T>> command,
      Function<RedisException, RuntimeException> failure) {
    Span span = commandSpan();
    RedisFuture<T> reply;
    try {
      reply = dispatch(opened(), command, span);
    } catch (RedisException e) {
      span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
      span.end();
      RuntimeException failed = failure.apply(e);
      return () -> {
        throw failed;
      };
    }
    if (span.isRecording()) {
      // The span times the command, whether or not its answer is ever asked for.
      reply.whenComplete((value, error) -> {
        if (error != null) {
          span.setStatus(StatusCode.ERROR, error.getClass().getSimpleName());
        }
        span.end();
      });
    }
    return () -> {
      try {
        return await(reply, callerBudget.apply(commandTimeout));
      } catch (RedisException e) {
        throw failure.apply(e);
      }
    };
  }

  /**
   * A write that must survive the loss of its master: as {@link #call}, and on a Redis Cluster
   * sent on the connection of the master that serves {@code key}'s slot, followed there by
   * {@code WAIT 1}, so that it returns once a replica has the write too. Redis replicates
   * asynchronously, and a write acknowledged by a master that died a moment later would
   * otherwise be missing on the replica promoted in its place. A write no replica confirmed
   * within the command's time fails (the caller tries again), unless the cluster has already
   * marked the master's replicas failed, or it has none left (just promoted, its old master not
   * back): then the write is on its master only, as durable as that shard can be until a replica
   * returns, and never waits for one that is gone.
   *
   * @param key a key the command writes; every key it writes must be in that key's slot
   */
  <T> T callReplicated(String key, Function<RedisClusterAsyncCommands<String, String>, RedisFuture<T>> command,
      Function<RedisException, RuntimeException> failure) {
    if (!(client instanceof RedisClusterClient cluster)) {
      return call(command, failure);
    }
    Span span = commandSpan();
    try {
      Opened current = opened();
      StatefulRedisClusterConnection<String, String> routed = (StatefulRedisClusterConnection<String, String>) current.connection();
      RedisClusterNode master = routed.getPartitions().getPartitionBySlot(SlotHash.getSlot(key));
      if (master == null) {
        throw new RedisConnectionException("no master serves the slot of " + key + " now");
      }
      Duration timeout = callerBudget.apply(commandTimeout);
      RedisAsyncCommands<String, String> node =
          routed.getConnection(master.getUri().getHost(), master.getUri().getPort()).async();
      RedisFuture<T> reply = command.apply(node);
      // A master with no replica left (just promoted, its old master not back) has none to wait for.
      boolean replicated = hasReplica(routed.getPartitions(), master);
      long waitMillis = Math.max(1, timeout.toMillis());
      RedisFuture<Long> replicas = replicated ? node.waitForReplication(1, waitMillis) : null;
      name(span, reply);
      long until = System.nanoTime() + timeout.toNanos();
      T result = await(reply, timeout);
      if (replicas != null) {
        Long acknowledged = await(replicas, Duration.ofNanos(Math.max(0, until - System.nanoTime())));
        if (acknowledged == null || acknowledged < 1) {
          // Not acknowledged: the caller (the driver, a revoking call) tries again; the write is
          // idempotent, and the next WAIT on this connection covers it too.
          throw new RedisException("no replica of " + master.getUri() + " confirmed the write within "
              + waitMillis + " ms");
        }
      }
      return result;
    } catch (RedisException e) {
      // The master this went to is gone, or no longer serves the slot: the routed connection's
      // adaptive refresh does not see writes sent past it, so ask for a new map here, at most
      // every 200 ms; the next attempt goes to the slot's new master.
      long now = System.nanoTime();
      long last = lastRefresh.get();
      if (now - last > REFRESH_AT_MOST_EVERY.toNanos() && lastRefresh.compareAndSet(last, now)) {
        cluster.refreshPartitionsAsync();
      }
      span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
      throw failure.apply(e);
    } finally {
      span.end();
    }
  }

  private static boolean hasReplica(Partitions partitions, RedisClusterNode master) {
    for (RedisClusterNode node : partitions) {
      if (master.getNodeId().equals(node.getSlaveOf()) && !node.is(RedisClusterNode.NodeFlag.FAIL)
          && !node.is(RedisClusterNode.NodeFlag.EVENTUAL_FAIL)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Sends many commands at once (pipelined on the connection) and waits for every reply, within
   * one command timeout or the caller's budget.
   */
  <T> List<T> callAll(Function<RedisClusterAsyncCommands<String, String>, List<RedisFuture<T>>> commands,
      Function<RedisException, RuntimeException> failure) {
    return pipelined(current -> commands.apply(current.commands()), failure);
  }

  /**
   * Writes the commands at once, in one flush of the connection (one socket write, read by Redis
   * in one read), then waits for their replies as {@link #callAll} does. Sent one by one, as
   * {@link #callAll} sends them, each command is its own write and its own task for the
   * connection's event loop. On a standalone server only: a cluster's writes go to their slots'
   * masters and wait for a replica each ({@link #callReplicated}).
   */
  <T> List<T> dispatchAll(List<AsyncCommand<String, String, T>> commands,
      Function<RedisException, RuntimeException> failure) {
    if (isCluster()) {
      throw new IllegalStateException("a cluster's writes are routed and replicated one by one");
    }
    return pipelined(current -> {
      current.connection().dispatch(commands);
      return commands;
    }, failure);
  }

  private <T> List<T> pipelined(Function<Opened, List<? extends RedisFuture<T>>> send,
      Function<RedisException, RuntimeException> failure) {
    Span span = tracer.spanBuilder("redis pipeline").setSpanKind(SpanKind.CLIENT).setAttribute("db.system", "redis")
        .startSpan();
    try {
      Opened current = opened();
      long until = System.nanoTime() + callerBudget.apply(commandTimeout).toNanos();
      List<? extends RedisFuture<T>> replies = send.apply(current);
      span.setAttribute("db.operation.batch.size", replies.size());
      List<T> results = new ArrayList<>(replies.size());
      for (RedisFuture<T> reply : replies) {
        results.add(await(reply, Duration.ofNanos(Math.max(0, until - System.nanoTime()))));
      }
      return results;
    } catch (RedisException e) {
      span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
      throw failure.apply(e);
    } finally {
      span.end();
    }
  }

  /** Whether this is a Redis Cluster's client. */
  boolean isCluster() {
    return client instanceof RedisClusterClient;
  }

  private <T> T send(Function<RedisClusterAsyncCommands<String, String>, RedisFuture<T>> command, Span span) {
    Opened current = opened();
    Duration timeout = callerBudget.apply(commandTimeout);
    return await(dispatch(current, command, span), timeout);
  }

  /** Puts the command on the wire and names its span after it. */
  private static <T> RedisFuture<T> dispatch(Opened current,
      Function<RedisClusterAsyncCommands<String, String>, RedisFuture<T>> command, Span span) {
    RedisFuture<T> reply = command.apply(current.commands());
    name(span, reply);
    return reply;
  }

  private Span commandSpan() {
    return tracer.spanBuilder("redis").setSpanKind(SpanKind.CLIENT).setAttribute("db.system", "redis").startSpan();
  }

  private Opened opened() {
    Opened current = connection;
    if (current == null) {
      throw new RedisConnectionException("not connected to Redis yet");
    }
    return current;
  }

  private static void name(Span span, RedisFuture<?> reply) {
    if (reply instanceof RedisCommand<?, ?, ?> sent) {
      String name = sent.getType().toString(); // the command, never its keys or values
      span.updateName(name);
      span.setAttribute("db.operation.name", name);
    }
  }

  private static <T> T await(RedisFuture<T> reply, Duration timeout) {
    try {
      return reply.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      reply.cancel(true);
      throw new RedisCommandTimeoutException("no reply from Redis within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RedisException redis ? redis : new RedisException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RedisException("interrupted waiting for Redis", e);
    }
  }

  private void connect(Duration nextPause) {
    if (closed) {
      return;
    }
    try {
      connection = opening.get();
      log.info("connected to Redis{}", client instanceof RedisClusterClient ? " (cluster)" : "");
      firstConnected.complete(null);
    } catch (RedisException e) {
      log.warn("cannot reach Redis yet ({}); retrying in {} ms", e.getMessage(), nextPause.toMillis());
      log.debug("connecting to Redis failed", e);
      Duration after = nextPause.multipliedBy(2).compareTo(MAX_CONNECT_PAUSE) > 0
          ? MAX_CONNECT_PAUSE : nextPause.multipliedBy(2);
      connecting.schedule(() -> connect(after), nextPause.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    connecting.shutdownNow();
    if (connection != null) {
      connection.connection().close();
    }
    client.shutdown();
    resources.shutdown();
  }
}
