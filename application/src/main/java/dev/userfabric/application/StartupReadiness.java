package dev.userfabric.application;

import dev.userfabric.application.wiring.Dependency;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis and RabbitMQ connect in the background, at the same time; this waits for both before the
 * gRPC port opens (the context has started, the server has not), so that the first call finds them
 * ready. Not for ever: a server that is down at start must not keep the service from starting,
 * and health says NOT_SERVING until it is there ({@code userfabric.startup.dependency-wait}).
 */
@Singleton
final class StartupReadiness implements ApplicationEventListener<StartupEvent> {

  private static final Logger log = LoggerFactory.getLogger(StartupReadiness.class);
  private static final long POLL_MILLIS = 5;

  private final List<Dependency> dependencies;
  private final Duration patience;

  StartupReadiness(List<Dependency> dependencies,
      @Value("${userfabric.startup.dependency-wait:5s}") Duration patience) {
    this.dependencies = dependencies;
    this.patience = patience;
  }

  @Override
  public void onApplicationEvent(StartupEvent event) {
    long deadline = System.nanoTime() + patience.toNanos();
    while (!unreachable().isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    List<String> down = unreachable();
    if (!down.isEmpty()) {
      log.warn("starting without {} (not reachable within {} ms); calls that need it fail until it is",
          String.join(", ", down), patience.toMillis());
    }
  }

  private List<String> unreachable() {
    return dependencies.stream().filter(dependency -> !dependency.reachable().getAsBoolean())
        .map(Dependency::name).collect(Collectors.toList());
  }
}
