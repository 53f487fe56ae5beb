package dev.userfabric.domain.port;

import dev.userfabric.domain.model.CallAbandoned;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * How long the caller of a use case will still wait, and whether it still waits at all. A driving
 * adapter runs the use case {@link #within} a budget (the gRPC driver uses the caller's deadline);
 * driven adapters shorten their own timeouts with {@link #cap} so that no downstream call outlives
 * the caller, and so that nothing is started, above all no event published, for a caller who has
 * gone. Outside a budget (the event driver, or a team embedding the domain) nothing is capped.
 */
public final class CallBudget {

  // A thread-local rather than a ScopedValue: the domain targets Java 21 for the teams that embed
  // it, where ScopedValue is still a preview API.
  private static final ThreadLocal<CallBudget> CURRENT = new ThreadLocal<>();

  private final long deadlineNanos;
  private final BooleanSupplier cancelled;

  private CallBudget(long deadlineNanos, BooleanSupplier cancelled) {
    this.deadlineNanos = deadlineNanos;
    this.cancelled = Objects.requireNonNull(cancelled);
  }

  /**
   * @param remaining how long the caller will wait from now
   * @param cancelled whether the caller has hung up
   */
  public static CallBudget of(Duration remaining, BooleanSupplier cancelled) {
    return new CallBudget(System.nanoTime() + remaining.toNanos(), cancelled);
  }

  /** Runs the work with this budget visible to every adapter it calls on this thread. */
  public <T> T within(Supplier<T> work) {
    CallBudget outer = CURRENT.get();
    CURRENT.set(this);
    try {
      return work.get();
    } finally {
      CURRENT.set(outer);
    }
  }

  /**
   * The timeout for one downstream call: {@code timeout}, or less when the caller will not wait
   * that long.
   *
   * @throws CallAbandoned when the caller has hung up or its deadline has passed
   */
  public static Duration cap(Duration timeout) {
    CallBudget budget = CURRENT.get();
    if (budget == null) {
      return timeout;
    }
    Duration left = budget.remaining();
    return left.compareTo(timeout) < 0 ? left : timeout;
  }

  /** @throws CallAbandoned when the caller has hung up or its deadline has passed */
  public static void checkCallerWaits() {
    CallBudget budget = CURRENT.get();
    if (budget != null) {
      budget.remaining();
    }
  }

  private Duration remaining() {
    if (cancelled.getAsBoolean()) {
      throw new CallAbandoned(CallAbandoned.Reason.CANCELLED, "the caller cancelled the call");
    }
    long left = deadlineNanos - System.nanoTime();
    if (left <= 0) {
      throw new CallAbandoned(CallAbandoned.Reason.DEADLINE_EXCEEDED, "the caller's deadline passed");
    }
    return Duration.ofNanos(left);
  }
}
