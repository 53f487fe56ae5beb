package dev.userfabric.adapter.rpc;

import dev.userfabric.proto.v1.TokenServiceGrpc;
import dev.userfabric.proto.v1.UserServiceGrpc;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code grpc.health.v1.Health} and keeps it truthful: NOT_SERVING while a dependency
 * (Redis, RabbitMQ) cannot be reached, though the service still starts and answers UNAVAILABLE;
 * SERVING once all can; NOT_SERVING for good from the moment shutdown begins, so that load
 * balancers stop sending calls before the server stops taking them.
 */
public final class ServingHealth implements BindableService, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ServingHealth.class);
  private static final long CHECK_EVERY_MILLIS = 200; // a dependency back is SERVING within a second
  private static final List<String> SERVICES = List.of(UserServiceGrpc.SERVICE_NAME,
      TokenServiceGrpc.SERVICE_NAME, dev.userfabric.proto.demeter.ops.v1alpha.UserServiceGrpc.SERVICE_NAME);

  private final HealthStatusManager health = new HealthStatusManager();
  private final Map<String, BooleanSupplier> dependencies;
  private final ScheduledExecutorService checking = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().daemon().name("serving-health").factory());
  private ServingStatus current;
  private boolean terminal;

  /** @param dependencies each server the service needs, by name, and whether it is reachable now */
  public ServingHealth(Map<String, BooleanSupplier> dependencies) {
    this.dependencies = Map.copyOf(dependencies);
    check();
    checking.scheduleWithFixedDelay(this::check, CHECK_EVERY_MILLIS, CHECK_EVERY_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  public ServerServiceDefinition bindService() {
    return health.getHealthService().bindService();
  }

  /** Looks at the dependencies now; runs every {@value #CHECK_EVERY_MILLIS} ms. */
  synchronized void check() {
    if (terminal) {
      return;
    }
    List<String> down = dependencies.entrySet().stream().filter(entry -> !entry.getValue().getAsBoolean())
        .map(Map.Entry::getKey).sorted().toList();
    ServingStatus status = down.isEmpty() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
    if (status == current) {
      return;
    }
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, status);
    SERVICES.forEach(service -> health.setStatus(service, status));
    current = status;
    if (down.isEmpty()) {
      log.info("SERVING ({})", dependencies.isEmpty() ? "no external dependency"
          : String.join(" and ", dependencies.keySet().stream().sorted().toList()) + " reachable");
    } else {
      log.warn("NOT_SERVING until reachable: {}", String.join(", ", down));
    }
  }

  /** Whether the service reports SERVING now (for the HTTP readiness probe, which must agree). */
  public synchronized boolean isServing() {
    return current == ServingStatus.SERVING && !terminal;
  }

  /** Why not, when not: the dependencies unreachable at the last check, or shutdown. */
  public synchronized List<String> notServingBecause() {
    if (terminal) {
      return List.of("shutting down");
    }
    return dependencies.entrySet().stream().filter(entry -> !entry.getValue().getAsBoolean())
        .map(entry -> entry.getKey() + " unreachable").sorted().toList();
  }

  /** Shutdown has begun: NOT_SERVING from now on, whatever the dependencies do. */
  public synchronized void enterShutdown() {
    if (terminal) {
      return; // both servers announce their shutdown
    }
    terminal = true;
    checking.shutdownNow();
    health.enterTerminalState();
    log.info("shutting down: health is NOT_SERVING; finishing the calls in progress");
  }

  @Override
  public void close() {
    checking.shutdownNow();
  }
}
