package dev.userfabric.application.wiring;

import dev.userfabric.adapter.rpc.CallLimit;
import dev.userfabric.adapter.rpc.OutcomeMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/**
 * What the business outcomes report to Micrometer (and so to {@code /prometheus} on the
 * management port). The gRPC server's calls ({@code grpc.server.*}) are Micronaut Micrometer's
 * gRPC binder's: a second interceptor of our own counted every call twice. The Redis and RabbitMQ
 * clients report through their own Micrometer integrations, wired where they are built.
 */
@Factory
public class MetricsFactory {

  /** Users created or known, failures by ErrorInfo reason ({@code userfabric.users}, {@code userfabric.calls.failed}). */
  @Singleton
  OutcomeMetrics outcomeMetrics(MeterRegistry registry) {
    return new OutcomeMetrics(registry);
  }

  /**
   * Latency timers get histogram buckets, so that Prometheus can compute percentiles across
   * replicas ({@code histogram_quantile} over {@code _bucket}); client-side percentiles could not
   * be aggregated.
   */
  @Singleton
  MeterFilter latencyHistograms() {
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (id.getType() == Meter.Type.TIMER && (id.getName().startsWith("grpc.server.")
            || id.getName().startsWith("lettuce.") || id.getName().startsWith("userfabric."))) {
          return DistributionStatisticConfig.builder().percentilesHistogram(true).build().merge(config);
        }
        return config;
      }
    };
  }

  /** The call limit's occupancy ({@code userfabric.calls.in.progress}). */
  static void gaugeCallsInProgress(CallLimit limit, MeterRegistry registry) {
    Gauge.builder("userfabric.calls.in.progress", limit, CallLimit::callsInProgress)
        .description("calls in progress, counted against userfabric.grpc.max-concurrent-calls").register(registry);
  }
}
