package dev.userfabric.testing.faults;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.function.Executable;

/**
 * Durations asserted only where the product promises one, and then with an honest margin: a busy
 * two-core machine can stall any thread for a second or more. A test that wants to show that a
 * call "fails at once" sets the timeout it would otherwise wait for well above {@link #MARGIN}, so
 * failing within the margin proves that no timeout was waited for.
 */
public final class Elapsed {

  /** What a busy machine may add to any promised duration. */
  public static final Duration MARGIN = Duration.ofSeconds(2);

  /** A timeout long enough that failing within {@link #MARGIN} proves it was not waited for. */
  public static final Duration LONG_TIMEOUT = Duration.ofSeconds(20);

  private Elapsed() {}

  /** Runs the call (with its own assertions), asserting it ends no later than {@code promise}. */
  public static void assertWithin(Duration promise, Executable call) {
    long started = System.nanoTime();
    try {
      call.execute();
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new AssertionError(e);
    }
    assertAtMost(promise, Duration.ofNanos(System.nanoTime() - started));
  }

  /** Runs the call (with its own assertions), asserting it waited for no timeout. */
  public static void assertAtOnce(Executable call) {
    assertWithin(Duration.ZERO, call);
  }

  /** Asserts the call fails with {@code type} without waiting for any timeout. */
  public static <T extends Throwable> T assertFailsAtOnce(Class<T> type, Executable call) {
    return assertFailsWithin(type, Duration.ZERO, call);
  }

  /** Asserts the call fails with {@code type} no later than {@code promise} (plus the margin). */
  public static <T extends Throwable> T assertFailsWithin(Class<T> type, Duration promise, Executable call) {
    long started = System.nanoTime();
    T failure = assertThrows(type, call);
    assertAtMost(promise, Duration.ofNanos(System.nanoTime() - started));
    return failure;
  }

  /**
   * Asserts the call fails with {@code type} after having waited for {@code promise}: not before
   * it (less a little for the timer's granularity), and not much after it.
   */
  public static <T extends Throwable> T assertFailsAfter(Class<T> type, Duration promise, Executable call) {
    long started = System.nanoTime();
    T failure = assertThrows(type, call);
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertTrue(took.compareTo(promise.minusMillis(20)) >= 0,
        "gave up after " + took.toMillis() + " ms, before the promised " + promise.toMillis() + " ms");
    assertAtMost(promise, took);
    return failure;
  }

  private static void assertAtMost(Duration promise, Duration took) {
    assertTrue(took.compareTo(promise.plus(MARGIN)) <= 0,
        "took " + took.toMillis() + " ms; promised " + promise.toMillis() + " ms (+ " + MARGIN.toMillis()
            + " ms margin)");
  }
}
