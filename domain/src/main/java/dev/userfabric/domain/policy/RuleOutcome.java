package dev.userfabric.domain.policy;

import java.util.Objects;

/** What one rule said about one applicant, and why. */
public record RuleOutcome(PolicyRule rule, Verdict verdict, String reason) {

  public enum Verdict { PASSED, FAILED, NOT_APPLICABLE }

  public RuleOutcome {
    Objects.requireNonNull(rule, "rule must not be null");
    Objects.requireNonNull(verdict, "verdict must not be null");
    Objects.requireNonNull(reason, "reason must not be null");
  }

  public boolean failed() {
    return verdict == Verdict.FAILED;
  }

  /** A failure that refuses the call (not one that is only reported). */
  public boolean refuses() {
    return failed() && rule.mode() == PolicyMode.ENFORCE;
  }
}
