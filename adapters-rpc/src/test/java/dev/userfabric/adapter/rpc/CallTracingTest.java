package dev.userfabric.adapter.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallTracingTest {

  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

  private final ServerCall<HealthCheckRequest, HealthCheckResponse> call = new IdleCall();
  private final ServerCall.Listener<HealthCheckRequest> handlersListener = new ServerCall.Listener<>() {};
  private final List<ServerCall<?, ?>> callsSeen = new ArrayList<>();
  private final List<Span> currentSpans = new ArrayList<>();
  private final ServerCallHandler<HealthCheckRequest, HealthCheckResponse> handler = (started, headers) -> {
    callsSeen.add(started);
    currentSpans.add(Span.current());
    return handlersListener;
  };

  @Test
  public void leavesTheCallAsItIsWhenTracingIsOff() {
    ServerCall.Listener<HealthCheckRequest> listener =
        new CallTracing(OpenTelemetry.noop()).interceptCall(call, withTraceparent(), handler);

    assertSame(handlersListener, listener);
    assertSame(call, callsSeen.getFirst());
    assertFalse(currentSpans.getFirst().getSpanContext().isValid());
  }

  @Test
  public void continuesTheCallersTraceWhenThereIsOne() {
    // The API's propagating no-op: no spans of its own, but the caller's context goes on.
    OpenTelemetry propagating = OpenTelemetry.propagating(
        ContextPropagators.create(W3CTraceContextPropagator.getInstance()));

    ServerCall.Listener<HealthCheckRequest> listener =
        new CallTracing(propagating).interceptCall(call, withTraceparent(), handler);

    assertNotSame(handlersListener, listener);
    assertNotSame(call, callsSeen.getFirst());
    assertEquals(TRACE_ID, currentSpans.getFirst().getSpanContext().getTraceId());
  }

  private static Metadata withTraceparent() {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER),
        "00-" + TRACE_ID + "-00f067aa0ba902b7-01");
    return headers;
  }

  /** A call that is started and nothing more. */
  private static final class IdleCall extends ServerCall<HealthCheckRequest, HealthCheckResponse> {
    @Override
    public void request(int messages) {}

    @Override
    public void sendHeaders(Metadata headers) {}

    @Override
    public void sendMessage(HealthCheckResponse message) {}

    @Override
    public void close(Status status, Metadata trailers) {}

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public Attributes getAttributes() {
      return Attributes.EMPTY;
    }

    @Override
    public MethodDescriptor<HealthCheckRequest, HealthCheckResponse> getMethodDescriptor() {
      return HealthGrpc.getCheckMethod();
    }
  }
}
