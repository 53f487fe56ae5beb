package dev.userfabric.adapter.rpc;

import dev.userfabric.domain.model.CallAbandoned;
import io.grpc.Context;
import io.grpc.Deadline;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The caller's deadline and cancellation, read from the gRPC context of the call being served on
 * this thread, for the driven adapters: {@code apply(timeout)} is the timeout for one downstream
 * call, {@code timeout} or less when the caller will not wait that long, so that no downstream
 * call outlives the caller and nothing, above all no event published, is started for a caller
 * who has gone. The application hands it to the adapters as a plain {@code UnaryOperator}: they
 * know nothing of gRPC, and the domain nothing of deadlines.
 *
 * <p>Outside a gRPC call (the event driver, a rebuild) nothing is capped. A caller that set no
 * deadline gets {@link UseCaseCall#DEFAULT_BUDGET} from the start of the call.
 *
 * @throws CallAbandoned from {@code apply} when the caller has hung up or its deadline has passed
 */
public final class GrpcCallerBudget implements UnaryOperator<Duration> {

  /** When a call that came without a deadline stops being worth answering, in nanoTime. */
  static final Context.Key<Long> DEFAULT_DEADLINE_NANOS = Context.key("userfabric-default-deadline");

  @Override
  public Duration apply(Duration timeout) {
    Context call = Context.current();
    Deadline deadline = call.getDeadline();
    long left;
    if (deadline != null) {
      left = deadline.timeRemaining(TimeUnit.NANOSECONDS);
    } else {
      Long until = DEFAULT_DEADLINE_NANOS.get(call);
      if (until == null) {
        return timeout; // not serving a call
      }
      left = until - System.nanoTime();
    }
    if (left <= 0) {
      throw new CallAbandoned(CallAbandoned.Reason.DEADLINE_EXCEEDED, "the caller's deadline passed");
    }
    if (call.isCancelled()) {
      throw new CallAbandoned(CallAbandoned.Reason.CANCELLED, "the caller cancelled the call");
    }
    return left < timeout.toNanos() ? Duration.ofNanos(left) : timeout;
  }
}
