package dev.userfabric.domain.port;

import dev.userfabric.domain.model.CallAbandoned;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
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
  private final LongSupplier nanoClock;

  private CallBudget(long deadlineNanos, BooleanSupplier cancelled, LongSupplier nanoClock) {
    this.deadlineNanos = deadlineNanos;
    this.cancelled = Objects.requireNonNull(cancelled);
    this.nanoClock = nanoClock;
  }

  /**
   * @param remaining how long the caller will wait from now
   * @param cancelled whether the caller has hung up
   */
  public static CallBudget of(Duration remaining, BooleanSupplier cancelled) {
    return of(remaining, cancelled, System::nanoTime);
  }

  /**
   * @param nanoClock a monotonic clock in nanoseconds, as {@link System#nanoTime()} is
   */
  public static CallBudget of(Duration remaining, BooleanSupplier cancelled, LongSupplier nanoClock) {
    return new CallBudget(nanoClock.getAsLong() + remaining.toNanos(), cancelled, nanoClock);
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
    long left = deadlineNanos - nanoClock.getAsLong();
    if (left <= 0) {
      throw new CallAbandoned(CallAbandoned.Reason.DEADLINE_EXCEEDED, "the caller's deadline passed");
    }
    return Duration.ofNanos(left);
  }
}
