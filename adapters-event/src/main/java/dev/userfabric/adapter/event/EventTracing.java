package dev.userfabric.adapter.event;

import com.rabbitmq.client.AMQP;
import dev.userfabric.domain.model.UserEvent;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The trace across the broker: a PRODUCER span around each publish whose context travels in the
 * message's headers (W3C {@code traceparent}, {@code tracestate}), and a CONSUMER span, its child,
 * around each delivery the driver handles. One trace, from the call to the store.
 */
final class EventTracing {

  static final EventTracing OFF = new EventTracing(OpenTelemetry.noop());

  private static final TextMapGetter<Map<String, Object>> HEADERS = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Map<String, Object> carrier) {
      return carrier.keySet();
    }

    @Override
    public String get(Map<String, Object> carrier, String key) {
      Object value = carrier == null ? null : carrier.get(key);
      return value == null ? null : value.toString(); // the client hands strings back as LongString
    }
  };

  private final OpenTelemetry openTelemetry;
  private final Tracer tracer;

  EventTracing(OpenTelemetry openTelemetry) {
    this.openTelemetry = openTelemetry;
    this.tracer = openTelemetry.getTracer("dev.userfabric.events");
  }

  /** Runs the publish inside a PRODUCER span; {@link #withContext} then puts it in the headers. */
  void publish(UserEvent event, String exchange, Runnable publish) {
    Span span = tracer.spanBuilder(exchange + " publish").setSpanKind(SpanKind.PRODUCER)
        .setAttribute("messaging.system", "rabbitmq")
        .setAttribute("messaging.destination.name", exchange)
        .setAttribute("messaging.message.id", event.eventId().toString())
        .setAttribute("userfabric.event.type", EventMetrics.typeOf(event))
        .startSpan();
    try (Scope ignored = span.makeCurrent()) {
      publish.run();
    } catch (RuntimeException e) {
      span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
      throw e;
    } finally {
      span.end();
    }
  }

  /** The message's properties with the current trace context added to its headers. */
  AMQP.BasicProperties withContext(AMQP.BasicProperties properties) {
    Map<String, Object> headers = new HashMap<>(properties.getHeaders() == null ? Map.of() : properties.getHeaders());
    openTelemetry.getPropagators().getTextMapPropagator().inject(Context.current(), headers, Map::put);
    return properties.builder().headers(headers).build();
  }

  /** Handles a delivery inside a CONSUMER span continuing the trace its headers carry. */
  <T> T consume(AMQP.BasicProperties properties, String queue, Supplier<T> handle) {
    return consumeAll(List.of(properties), queue, handle);
  }

  /**
   * Handles deliveries together, each in a CONSUMER span of its own continuing its own trace, so
   * that every user's trace still runs from the call to the store. The work they share (one write
   * to the store for them all) is traced once, under the first.
   */
  <T> T consumeAll(List<AMQP.BasicProperties> deliveries, String queue, Supplier<T> handle) {
    List<Span> spans = new ArrayList<>(deliveries.size());
    for (AMQP.BasicProperties properties : deliveries) {
      Context parent = openTelemetry.getPropagators().getTextMapPropagator()
          .extract(Context.root(), properties.getHeaders(), HEADERS);
      SpanBuilder span = tracer.spanBuilder(queue + " process").setParent(parent).setSpanKind(SpanKind.CONSUMER)
          .setAttribute("messaging.system", "rabbitmq")
          .setAttribute("messaging.destination.name", queue)
          .setAttribute("messaging.message.id", String.valueOf(properties.getMessageId()));
      if (deliveries.size() > 1) {
        span.setAttribute("messaging.batch.message_count", deliveries.size());
      }
      spans.add(span.startSpan());
    }
    try (Scope ignored = spans.getFirst().makeCurrent()) {
      return handle.get();
    } catch (RuntimeException e) {
      spans.forEach(span -> span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName()));
      throw e;
    } finally {
      spans.forEach(Span::end);
    }
  }
}
