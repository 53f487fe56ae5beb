package dev.userfabric.domain.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.userfabric.domain.model.CallAbandoned;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CallBudgetTest {

  @Test
  public void outsideABudgetNothingIsCapped() {
    assertEquals(Duration.ofSeconds(5), CallBudget.cap(Duration.ofSeconds(5)));
    CallBudget.checkCallerWaits(); // does not throw
  }

  @Test
  public void capsATimeoutToWhatTheCallerHasLeft() {
    AtomicLong nanoClock = new AtomicLong(42);
    CallBudget budget = CallBudget.of(Duration.ofMillis(300), () -> false, nanoClock::get);
    nanoClock.addAndGet(Duration.ofMillis(50).toNanos());

    Duration capped = budget.within(() -> CallBudget.cap(Duration.ofSeconds(5)));

    assertEquals(Duration.ofMillis(250), capped);
  }

  @Test
  public void theDeadlinePassesWithTheClock() {
    AtomicLong nanoClock = new AtomicLong();
    CallBudget budget = CallBudget.of(Duration.ofMillis(300), () -> false, nanoClock::get);
    nanoClock.addAndGet(Duration.ofMillis(300).toNanos());

    CallAbandoned abandoned = assertThrows(CallAbandoned.class, () -> budget.within(() -> CallBudget.cap(Duration.ofSeconds(1))));

    assertEquals(CallAbandoned.Reason.DEADLINE_EXCEEDED, abandoned.reason());
  }

  @Test
  public void keepsAShorterTimeoutAsItIs() {
    assertEquals(Duration.ofMillis(100), CallBudget.of(Duration.ofSeconds(5), () -> false)
        .within(() -> CallBudget.cap(Duration.ofMillis(100))));
  }

  @Test
  public void refusesWorkOnceTheDeadlineHasPassed() {
    CallAbandoned abandoned = assertThrows(CallAbandoned.class, () -> CallBudget.of(Duration.ZERO, () -> false)
        .within(() -> CallBudget.cap(Duration.ofSeconds(1))));

    assertEquals(CallAbandoned.Reason.DEADLINE_EXCEEDED, abandoned.reason());
  }

  @Test
  public void refusesWorkOnceTheCallerHasCancelled() {
    AtomicBoolean cancelled = new AtomicBoolean();
    CallBudget budget = CallBudget.of(Duration.ofSeconds(5), cancelled::get);

    CallAbandoned abandoned = assertThrows(CallAbandoned.class, () -> budget.within(() -> {
      CallBudget.checkCallerWaits();
      cancelled.set(true);
      CallBudget.checkCallerWaits();
      return null;
    }));

    assertEquals(CallAbandoned.Reason.CANCELLED, abandoned.reason());
  }

  @Test
  public void theBudgetEndsWithTheWork() {
    CallBudget.of(Duration.ZERO, () -> true).within(() -> "done");

    assertEquals(Duration.ofSeconds(5), CallBudget.cap(Duration.ofSeconds(5)));
  }
}
