package dev.userfabric.domain.policy;

import java.util.Objects;

/**
 * One named rule of the provisioning policy.
 *
 * @param name unique within its issuer's rules; what a refusal and the logs name
 */
public record PolicyRule(String name, Condition condition, PolicyMode mode, RuleScope scope) {

  public PolicyRule {
    Objects.requireNonNull(name, "name must not be null");
    if (name.isBlank() || name.chars().anyMatch(Character::isISOControl) || name.length() > 100) {
      throw new IllegalArgumentException("a rule's name must be 1 to 100 printable characters");
    }
    Objects.requireNonNull(condition, "condition must not be null");
    Objects.requireNonNull(mode, "mode must not be null");
    Objects.requireNonNull(scope, "scope must not be null");
  }

  /** Evaluates the rule for the applicant: known users skip a new-users-only rule. */
  public RuleOutcome evaluate(Applicant applicant) {
    if (applicant.known() && scope == RuleScope.NEW_USERS) {
      return new RuleOutcome(this, RuleOutcome.Verdict.NOT_APPLICABLE, "applies to new users only");
    }
    return condition.failure(applicant)
        .map(reason -> new RuleOutcome(this, RuleOutcome.Verdict.FAILED, reason))
        .orElseGet(() -> new RuleOutcome(this, RuleOutcome.Verdict.PASSED, ""));
  }
}
