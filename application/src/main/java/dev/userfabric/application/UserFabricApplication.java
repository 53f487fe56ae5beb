package dev.userfabric.application;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.EmbeddedApplication;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;

/**
 * Starts the service: the gRPC server, the event driver and whatever they are wired to.
 *
 * <pre>
 * java -jar userfabric.jar [start]   production: Redis, RabbitMQ and an issuer must be configured
 * java -jar userfabric.jar start-dev development: embedded stand-ins for whatever is not configured
 * java -jar userfabric.jar rebuild   replays the event log into the store, then exits
 * </pre>
 *
 * <p>Start-up problems end the process with one line on standard error and exit status 2, before
 * anything listens: a missing or malformed setting is the operator's to fix, and a bean trace
 * would only hide the property that needs it.
 */
public final class UserFabricApplication {

  static final String USAGE = """
      usage: java -jar userfabric.jar [start | start-dev | rebuild] [--property=value ...]
        start      production (the default): userfabric.redis.uri, userfabric.rabbitmq.uri and
                   userfabric.oauth.issuer must be set
        start-dev  development: in-memory users, an in-process queue and a development identity
                   provider stand in for whatever is not configured; gRPC binds 127.0.0.1
        rebuild    [--from=INSTANT] [--idle=DURATION]: replays the event log (the RabbitMQ stream)
                   from its first offset, or from INSTANT, into the Redis store, and exits once
                   nothing new arrived for DURATION (2s); userfabric.redis.uri and
                   userfabric.rabbitmq.uri must be set""";

  private UserFabricApplication() {}

  public static void main(String[] args) {
    nettyForProduction();
    keepUserinfoConnections();
    LaunchMode mode;
    try {
      mode = LaunchMode.of(args);
    } catch (IllegalArgumentException e) {
      System.err.println("userfabric: " + e.getMessage() + "\n" + USAGE);
      System.exit(2);
      return;
    }
    if (mode == LaunchMode.HELP) {
      System.out.println(USAGE);
      return;
    }
    ApplicationContext context = ApplicationContext.builder(UserFabricApplication.class)
        .args(mode.micronautArgs(args))
        .environments(mode.environments())
        .properties(mode.properties())
        .build();
    EmbeddedApplication<?> application;
    try {
      LaunchCheck.requireSettings(context.getEnvironment().start(), mode);
      context.start();
      if (mode == LaunchMode.REBUILD) {
        int status = Rebuild.run(context);
        closeQuietly(context);
        System.exit(status);
        return;
      }
      application = context.getBean(EmbeddedApplication.class);
      application.start();
    } catch (RuntimeException | java.io.IOException | InterruptedException e) {
      System.err.println("userfabric: cannot start: " + StartupFailure.describe(e));
      if (!StartupFailure.isSettingProblem(e)) {
        LoggerFactory.getLogger(UserFabricApplication.class).error("start-up failed", e); // not ours to guess: the trace
      }
      closeQuietly(context);
      System.exit(2);
      return;
    }
    awaitShutdown(context, application);
  }

  /**
   * Netty's defaults, set before Netty loads unless the operator set them: no leak tracking (it
   * captures a stack trace for one buffer in a hundred, thousands a second under load; turn it on
   * with -Dio.netty.leakDetection.level=simple to hunt a leak), and no per-thread buffer caches
   * outside Netty's own threads (every virtual thread a call runs on would build one). gRPC takes
   * Netty's default allocator (4.2's adaptive one) rather than a pooled allocator of its own: a
   * call's response is serialised on the call's virtual thread, and the pooled allocator built a
   * thread-local map and an empty cache for each of them, which the adaptive one does not (a known
   * user's call: 21.9 and 21.3 KB of heap against 20.7 and 20.9 KB, ./bench.sh existing).
   */
  private static void nettyForProduction() {
    if (System.getProperty("io.netty.leakDetection.level") == null) {
      System.setProperty("io.netty.leakDetection.level", "disabled");
    }
    if (System.getProperty("io.netty.allocator.useCacheForAllThreads") == null) {
      System.setProperty("io.netty.allocator.useCacheForAllThreads", "false");
    }
    if (System.getProperty("io.grpc.netty.useCustomAllocator") == null) {
      System.setProperty("io.grpc.netty.useCustomAllocator", "false");
    }
  }

  /**
   * The JDK's HTTP client keeps at most five idle connections to a host (http.maxConnections);
   * with dozens of first logins in flight the rest were closed after each userinfo request and a
   * new one opened for the next: 11,000 sockets in TIME_WAIT to the provider after a minute of
   * load, and the new-user path spent 13 % more machine CPU a call (bench, 669 against 581 µs).
   * As many as calls may be in progress by default (userfabric.grpc.max-concurrent-calls); read
   * once, when the first connection is made, so set before anything connects.
   */
  private static void keepUserinfoConnections() {
    if (System.getProperty("http.maxConnections") == null) {
      System.setProperty("http.maxConnections", "200");
    }
  }

  /** Keeps the JVM alive (the server's threads are daemons) until SIGTERM or SIGINT. */
  private static void awaitShutdown(ApplicationContext context, EmbeddedApplication<?> application) {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        application.stop();
        context.close();
      } finally {
        stopped.countDown();
      }
    }, "userfabric-shutdown"));
    Thread keepAlive = new Thread(() -> {
      try {
        stopped.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "userfabric-keep-alive");
    keepAlive.setDaemon(false);
    keepAlive.start();
  }

  private static void closeQuietly(ApplicationContext context) {
    try {
      if (context.isRunning()) {
        context.close();
      }
    } catch (RuntimeException ignored) { // already failing; the first failure is the one to show
    }
  }

  /** The command: production unless {@code start-dev} asks for the embedded stand-ins. */
  enum LaunchMode {
    PRODUCTION, DEVELOPMENT, REBUILD, HELP;

    static final String DEVELOPMENT_ENVIRONMENT = "dev";

    static LaunchMode of(String[] args) {
      if (args.length == 0 || args[0].startsWith("--") && !args[0].equals("--help")) {
        return PRODUCTION;
      }
      return switch (args[0]) {
        case "start" -> PRODUCTION;
        case "start-dev" -> DEVELOPMENT;
        case "rebuild" -> REBUILD;
        case "help", "--help", "-h" -> HELP;
        default -> throw new IllegalArgumentException("unknown command " + args[0]);
      };
    }

    String[] micronautArgs(String[] args) {
      boolean command = args.length > 0 && !args[0].startsWith("--");
      String[] rest = command ? Arrays.copyOfRange(args, 1, args.length) : args;
      if (this == REBUILD) { // the command's own options, as the properties Rebuild reads
        rest = Arrays.stream(rest)
            .map(arg -> arg.replaceFirst("^--from=", "--" + Rebuild.FROM + "=")
                .replaceFirst("^--idle=", "--" + Rebuild.IDLE + "="))
            .toArray(String[]::new);
      }
      return rest;
    }

    /** A rebuild serves nothing and consumes no driver queue: it only replays the log. */
    java.util.Map<String, Object> properties() {
      return this == REBUILD ? java.util.Map.of("userfabric.rabbitmq.consumers", 0) : java.util.Map.of();
    }

    String[] environments() {
      return this == DEVELOPMENT ? new String[] {DEVELOPMENT_ENVIRONMENT} : new String[0];
    }

    boolean development(List<String> activeEnvironments) {
      return this == DEVELOPMENT || activeEnvironments.contains(DEVELOPMENT_ENVIRONMENT);
    }
  }
}
