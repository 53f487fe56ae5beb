package dev.userfabric.application.operations;

import dev.userfabric.adapter.rpc.ServingHealth;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import java.util.Map;
import org.reactivestreams.Publisher;

/**
 * {@code /health/readiness} on the management port says what the gRPC health service says:
 * DOWN while Redis or RabbitMQ cannot be reached and from the moment shutdown begins, so that a
 * Kubernetes Service and a gRPC load balancer stop sending calls at the same time.
 */
@Singleton
@Readiness
final class ServingReadiness implements HealthIndicator {

  private final ServingHealth serving;

  ServingReadiness(ServingHealth serving) {
    this.serving = serving;
  }

  @Override
  public Publisher<HealthResult> getResult() {
    boolean up = serving.isServing();
    HealthResult.Builder result = HealthResult.builder("serving", up ? HealthStatus.UP : HealthStatus.DOWN);
    if (!up) {
      result.details(Map.of("because", serving.notServingBecause()));
    }
    return Publishers.just(result.build());
  }
}
