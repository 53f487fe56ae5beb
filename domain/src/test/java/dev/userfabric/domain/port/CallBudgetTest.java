package dev.userfabric.domain.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userfabric.domain.model.CallAbandoned;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class CallBudgetTest {

  @Test
  public void outsideABudgetNothingIsCapped() {
    assertEquals(Duration.ofSeconds(5), CallBudget.cap(Duration.ofSeconds(5)));
    CallBudget.checkCallerWaits(); // does not throw
  }

  @Test
  public void capsATimeoutToWhatTheCallerHasLeft() {
    Duration capped = CallBudget.of(Duration.ofMillis(300), () -> false)
        .within(() -> CallBudget.cap(Duration.ofSeconds(5)));

    assertTrue(capped.compareTo(Duration.ofMillis(300)) <= 0 && capped.compareTo(Duration.ofMillis(200)) > 0,
        capped.toString());
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
