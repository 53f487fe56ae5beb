package dev.userfabric.adapter.rpc;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * A SERVER span per call ({@code rpc.system=grpc}, service, method, the gRPC status code),
 * continuing a W3C {@code traceparent} the caller sent, and current while the call's handlers
 * run, so that what the use case does (Redis, userinfo, the publish, whose message carries the
 * context on) is its child. With OpenTelemetry off (the noop), it costs a few no-op calls and
 * leaves the call as it is.
 */
public final class CallTracing implements ServerInterceptor {

  private static final TextMapGetter<Metadata> METADATA = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Metadata carrier) {
      return carrier.keys();
    }

    @Override
    public String get(Metadata carrier, String key) {
      return carrier == null ? null : carrier.get(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
    }
  };

  private final OpenTelemetry openTelemetry;
  private final Tracer tracer;

  public CallTracing(OpenTelemetry openTelemetry) {
    this.openTelemetry = openTelemetry;
    this.tracer = openTelemetry.getTracer("dev.userfabric.rpc");
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
      ServerCallHandler<ReqT, RespT> next) {
    String fullMethod = call.getMethodDescriptor().getFullMethodName();
    Context parent = openTelemetry.getPropagators().getTextMapPropagator().extract(Context.root(), headers, METADATA);
    Span span = tracer.spanBuilder(fullMethod).setParent(parent).setSpanKind(SpanKind.SERVER)
        .setAttribute("rpc.system", "grpc")
        .setAttribute("rpc.service", call.getMethodDescriptor().getServiceName())
        .setAttribute("rpc.method", call.getMethodDescriptor().getBareMethodName())
        .startSpan();
    if (!span.getSpanContext().isValid() && parent == Context.root()) {
      // Tracing is off (OpenTelemetry's no-op): nothing to end and nothing for the use case to
      // continue, so the call goes through as it came, without a context made current (and a
      // thread-local map built for it on the call's fresh virtual thread) at every step.
      return next.startCall(call, headers);
    }
    Context context = parent.with(span);
    ServerCall<ReqT, RespT> traced = new SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        span.setAttribute("rpc.grpc.status_code", status.getCode().value());
        if (!status.isOk()) {
          span.setStatus(StatusCode.ERROR, status.getCode().name());
        }
        span.end();
        super.close(status, trailers);
      }
    };
    ServerCall.Listener<ReqT> listener;
    try (Scope ignored = context.makeCurrent()) {
      listener = next.startCall(traced, headers);
    }
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onMessage(ReqT message) {
        try (Scope ignored = context.makeCurrent()) {
          super.onMessage(message);
        }
      }

      @Override
      public void onHalfClose() {
        try (Scope ignored = context.makeCurrent()) {
          super.onHalfClose();
        }
      }

      @Override
      public void onCancel() {
        try (Scope ignored = context.makeCurrent()) {
          super.onCancel();
        } finally {
          span.setStatus(StatusCode.ERROR, "CANCELLED");
          span.end(); // a cancelled call is not closed by the server; ending twice is harmless
        }
      }

      @Override
      public void onComplete() {
        try (Scope ignored = context.makeCurrent()) {
          super.onComplete();
        }
      }

      @Override
      public void onReady() {
        try (Scope ignored = context.makeCurrent()) {
          super.onReady();
        }
      }
    };
  }
}
