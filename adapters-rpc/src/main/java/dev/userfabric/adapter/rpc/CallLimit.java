package dev.userfabric.adapter.rpc;

import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bounds the calls in progress across the services it guards. Beyond the bound a call is refused
 * at once with RESOURCE_EXHAUSTED (and a one-second RetryInfo) instead of taking a thread and
 * memory while it waits. Health checks and reflection are never refused: an orchestrator must
 * see a busy replica as busy, not as dead.
 */
public final class CallLimit implements ServerInterceptor {

  private static final Set<String> ALWAYS_ANSWERED = Set.of("grpc.health.v1.Health",
      "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection");

  private final Semaphore permits;
  private final int maxConcurrentCalls;

  public CallLimit(int maxConcurrentCalls) {
    if (maxConcurrentCalls < 1) {
      throw new IllegalArgumentException("maxConcurrentCalls must be at least 1");
    }
    this.maxConcurrentCalls = maxConcurrentCalls;
    this.permits = new Semaphore(maxConcurrentCalls);
  }

  /**
   * Calls holding a permit now. A permit comes back when the server sees the call end, which may
   * be just after the caller has its answer.
   */
  public int callsInProgress() {
    return maxConcurrentCalls - permits.availablePermits();
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    if (ALWAYS_ANSWERED.contains(call.getMethodDescriptor().getServiceName())) {
      return next.startCall(call, headers);
    }
    if (!permits.tryAcquire()) {
      StatusRuntimeException refusal = FailureToStatus.TOO_MANY_CALLS.toException();
      call.close(refusal.getStatus(), refusal.getTrailers());
      return new ServerCall.Listener<>() {};
    }
    AtomicBoolean released = new AtomicBoolean();
    Runnable release = () -> {
      if (released.compareAndSet(false, true)) {
        permits.release();
      }
    };
    try {
      return new SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
        @Override
        public void onComplete() {
          release.run();
          super.onComplete();
        }

        @Override
        public void onCancel() {
          release.run();
          super.onCancel();
        }
      };
    } catch (RuntimeException e) {
      release.run();
      throw e;
    }
  }
}
