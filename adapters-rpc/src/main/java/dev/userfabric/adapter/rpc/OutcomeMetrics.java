package dev.userfabric.adapter.rpc;

import com.google.rpc.ErrorInfo;
import dev.userfabric.proto.v1.CreateUserResponse;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the calls came to, as counters: {@code userfabric.users} by {@code outcome} (created,
 * linked to an existing user, or known, from {@code userfabric.v1} CreateUser's answers) and {@code userfabric.calls.failed} by
 * {@code method}, gRPC {@code status} and ErrorInfo {@code reason}, read from the status every
 * failed call ends with. The gRPC server's own timings (calls by method and status, latency) are
 * Micrometer's gRPC binder's job; this adds the business meaning.
 */
public final class OutcomeMetrics implements ServerInterceptor {

  private final MeterRegistry registry;
  private final Counter created;
  private final Counter known;
  private final Counter linked;
  private final Map<String, Counter> failures = new ConcurrentHashMap<>();

  public OutcomeMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.created = users("created");
    this.known = users("known");
    this.linked = users("linked");
  }

  private Counter users(String outcome) {
    return Counter.builder("userfabric.users").tag("outcome", outcome)
        .description("CreateUser answers: users created by the call, identities linked to a stored user, or already stored").register(registry);
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
      ServerCallHandler<ReqT, RespT> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    return next.startCall(new SimpleForwardingServerCall<>(call) {
      @Override
      public void sendMessage(RespT message) {
        if (message instanceof CreateUserResponse response) { // the seed contract's does not say
          (response.getCreated() ? created : response.getLinked() ? linked : known).increment();
        }
        super.sendMessage(message);
      }

      @Override
      public void close(Status status, Metadata trailers) {
        if (!status.isOk()) {
          failure(method, status, trailers).increment();
        }
        super.close(status, trailers);
      }
    }, headers);
  }

  private Counter failure(String method, Status status, Metadata trailers) {
    String reason = reasonOf(status, trailers);
    String key = method + '\0' + status.getCode() + '\0' + reason;
    return failures.computeIfAbsent(key, k -> Counter.builder("userfabric.calls.failed")
        .tag("method", method).tag("status", status.getCode().name()).tag("reason", reason)
        .description("calls that ended with an error, by the reason a client can act on")
        .register(registry));
  }

  private static String reasonOf(Status status, Metadata trailers) {
    com.google.rpc.Status details = StatusProto.fromStatusAndTrailers(status, trailers);
    return details.getDetailsList().stream().filter(any -> any.is(ErrorInfo.class)).findFirst()
        .map(any -> {
          try {
            return any.unpack(ErrorInfo.class).getReason();
          } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            return "UNREADABLE";
          }
        })
        .orElse("NONE");
  }
}
