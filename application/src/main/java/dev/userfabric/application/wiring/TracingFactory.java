package dev.userfabric.application.wiring;

import dev.userfabric.adapter.rpc.CallTracing;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import jakarta.inject.Singleton;

/**
 * Traces: off unless {@code otel.exporter.otlp.endpoint} (OTEL_EXPORTER_OTLP_ENDPOINT) names an
 * OTLP/gRPC collector, e.g. {@code http://otel-collector:4317}; then spans are batched and
 * exported there, with W3C trace context propagation. Off, OpenTelemetry's no-op does nothing.
 */
@Factory
public class TracingFactory {

  /** The SDK, or the no-op, and what must be flushed on shutdown. */
  public record Tracing(OpenTelemetry openTelemetry, AutoCloseable shutdown) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      shutdown.close();
    }
  }

  @Singleton
  @Bean(preDestroy = "close")
  Tracing tracing(@Value("${otel.exporter.otlp.endpoint:}") String endpoint,
      @Value("${micronaut.application.name:userfabric}") String serviceName) {
    if (endpoint.isBlank()) {
      return new Tracing(OpenTelemetry.noop(), () -> { });
    }
    return exportingTo(OtlpGrpcSpanExporter.builder().setEndpoint(endpoint).build(), serviceName);
  }

  /** Spans to {@code exporter}, batched; for the OTLP exporter, or a test's in-memory one. */
  public static Tracing exportingTo(SpanExporter exporter, String serviceName) {
    SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(
            Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), serviceName))))
        .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
        .build();
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(tracerProvider)
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build();
    return new Tracing(sdk, sdk::close);
  }

  @Singleton
  OpenTelemetry openTelemetry(Tracing tracing) {
    return tracing.openTelemetry();
  }

  /** A span per gRPC call, continuing the caller's trace. */
  @Singleton
  CallTracing callTracing(OpenTelemetry openTelemetry) {
    return new CallTracing(openTelemetry);
  }
}
