package dev.userfabric.adapter.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userfabric.domain.model.CallAbandoned;
import io.grpc.Context;
import io.grpc.Deadline;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The caller's budget as the driven adapters see it, from gRPC's own call context. */
class GrpcCallerBudgetTest {

  private final GrpcCallerBudget budget = new GrpcCallerBudget();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final AtomicLong now = new AtomicLong();
  private final Deadline.Ticker ticker = new Deadline.Ticker() {
    @Override
    public long nanoTime() {
      return now.get();
    }
  };

  @AfterEach
  void stopTimer() {
    timer.shutdownNow();
  }

  @Test
  void outsideACallNothingIsCapped() {
    assertEquals(Duration.ofSeconds(5), budget.apply(Duration.ofSeconds(5)));
  }

  @Test
  void capsATimeoutToWhatTheCallerHasLeft() throws Exception {
    Context.CancellableContext call = Context.current().withDeadline(Deadline.after(300, TimeUnit.MILLISECONDS, ticker), timer);
    try {
      assertEquals(Duration.ofMillis(300), in(call, () -> budget.apply(Duration.ofSeconds(5))));
      assertEquals(Duration.ofMillis(100), in(call, () -> budget.apply(Duration.ofMillis(100))), "a shorter timeout stays");
      now.addAndGet(TimeUnit.MILLISECONDS.toNanos(200));
      assertEquals(Duration.ofMillis(100), in(call, () -> budget.apply(Duration.ofSeconds(5))), "the deadline passes with the clock");
    } finally {
      call.cancel(null);
    }
  }

  @Test
  void refusesWorkOnceTheDeadlineHasPassed() {
    Context.CancellableContext call = Context.current().withDeadline(Deadline.after(300, TimeUnit.MILLISECONDS, ticker), timer);
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(300));
    try {
      CallAbandoned abandoned = assertThrows(CallAbandoned.class, () -> in(call, () -> budget.apply(Duration.ofSeconds(1))));
      assertEquals(CallAbandoned.Reason.DEADLINE_EXCEEDED, abandoned.reason());
    } finally {
      call.cancel(null);
    }
  }

  @Test
  void refusesWorkOnceTheCallerHasCancelled() {
    Context.CancellableContext call = Context.current().withDeadline(Deadline.after(5, TimeUnit.SECONDS, ticker), timer);
    call.cancel(null); // the client hung up
    CallAbandoned abandoned = assertThrows(CallAbandoned.class, () -> in(call, () -> budget.apply(Duration.ofSeconds(1))));
    assertEquals(CallAbandoned.Reason.CANCELLED, abandoned.reason());
  }

  @Test
  void aCallWithoutADeadlineHasTheDefaultFromItsStart() throws Exception {
    Context call = Context.current().withValue(GrpcCallerBudget.DEFAULT_DEADLINE_NANOS, System.nanoTime() + Duration.ofMillis(500).toNanos());
    Duration left = in(call, () -> budget.apply(Duration.ofSeconds(5)));
    assertTrue(left.compareTo(Duration.ofMillis(500)) <= 0 && left.compareTo(Duration.ZERO) > 0, left.toString());

    Context over = Context.current().withValue(GrpcCallerBudget.DEFAULT_DEADLINE_NANOS, System.nanoTime() - 1);
    assertThrows(CallAbandoned.class, () -> in(over, () -> budget.apply(Duration.ofSeconds(5))));
  }

  private static <T> T in(Context context, Callable<T> work) throws Exception {
    return context.call(work);
  }
}
