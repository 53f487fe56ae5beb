package dev.userfabric.application.e2e;

import dev.userfabric.application.wiring.TracingFactory;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import jakarta.inject.Singleton;

/** With {@code userfabric.test.in-memory-tracing=true}: the service's spans, kept in memory. */
@Factory
@Requires(property = "userfabric.test.in-memory-tracing", value = "true")
class InMemoryTracing {

  static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();

  @Singleton
  @Replaces(bean = TracingFactory.Tracing.class, factory = TracingFactory.class)
  @Bean(preDestroy = "close")
  TracingFactory.Tracing tracing() {
    return TracingFactory.exportingTo(SPANS, "userfabric-test");
  }
}
