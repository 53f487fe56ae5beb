package dev.userfabric.domain.policy;

import dev.userfabric.domain.model.Identity;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Every rule's outcome for one applicant, in the policy's order. */
public record PolicyEvaluation(Identity identity, boolean knownUser, List<RuleOutcome> outcomes) {

  public PolicyEvaluation {
    Objects.requireNonNull(identity, "identity must not be null");
    outcomes = List.copyOf(outcomes);
  }

  /** The first enforced rule that failed: the one a refusal names. */
  public Optional<RuleOutcome> refusal() {
    return outcomes.stream().filter(RuleOutcome::refuses).findFirst();
  }

  /** The report-mode rules that failed: what would have been refused. */
  public List<RuleOutcome> reported() {
    return outcomes.stream().filter(outcome -> outcome.failed() && !outcome.refuses()).toList();
  }

  public boolean allowed() {
    return refusal().isEmpty();
  }
}
