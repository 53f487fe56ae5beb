package dev.userfabric.domain.model;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Versions of a user are microseconds since the epoch, moved on by one when the clock has not
 * moved past the version being replaced. So they grow with every change even across replicas
 * whose clocks disagree, and a version still says roughly when the change happened. Two changes
 * may still draw the same version (two replicas changing one user at once); {@link Revision}
 * breaks that tie the same way everywhere.
 */
public final class UserVersion {

  private UserVersion() {}

  /** The version a change made at {@code instant} has when nothing came before it. */
  public static long of(Instant instant) {
    return Math.max(1, ChronoUnit.MICROS.between(Instant.EPOCH, instant));
  }

  /** The version of a change made at {@code now} to a user whose version is {@code current}. */
  public static long after(long current, Instant now) {
    return Math.max(of(now), current + 1);
  }
}
