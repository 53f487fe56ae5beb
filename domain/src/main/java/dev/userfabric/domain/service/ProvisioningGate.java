package dev.userfabric.domain.service;

import dev.userfabric.domain.model.ProvisioningRefused;
import dev.userfabric.domain.model.UserProfile;
import dev.userfabric.domain.model.VerifiedAccessToken;
import dev.userfabric.domain.policy.Applicant;
import dev.userfabric.domain.policy.PolicyEvaluation;
import dev.userfabric.domain.policy.PolicyRule;
import dev.userfabric.domain.policy.RuleOutcome;
import dev.userfabric.domain.port.out.PolicyAudit;
import dev.userfabric.domain.port.out.PolicySource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Checks an applicant against the provisioning policy before anything is published: report-mode
 * failures are audited and let through, the first enforced failure refuses. An issuer without
 * rules costs one map lookup.
 */
public final class ProvisioningGate {

  private final PolicySource policies;
  private final PolicyAudit audit;

  public ProvisioningGate(PolicySource policies, PolicyAudit audit) {
    this.policies = Objects.requireNonNull(policies);
    this.audit = Objects.requireNonNull(audit);
  }

  /** A gate that admits everyone (no policy configured). */
  public static ProvisioningGate open() {
    return new ProvisioningGate(PolicySource.fixed(dev.userfabric.domain.policy.ProvisioningPolicy.OPEN),
        PolicyAudit.NONE);
  }

  /** Every rule's outcome, without acting on any: the dry-run. */
  public PolicyEvaluation evaluate(VerifiedAccessToken token, UserProfile profile, boolean known) {
    return evaluate(policies.current().rulesFor(token.identity().issuer()), token, profile, known);
  }

  private static PolicyEvaluation evaluate(List<PolicyRule> rules, VerifiedAccessToken token, UserProfile profile,
      boolean known) {
    Applicant applicant = new Applicant(token, profile, known);
    List<RuleOutcome> outcomes = new ArrayList<>(rules.size());
    for (PolicyRule rule : rules) {
      outcomes.add(rule.evaluate(applicant));
    }
    return new PolicyEvaluation(token.identity(), known, outcomes);
  }

  /**
   * Lets the applicant through or throws {@link ProvisioningRefused} naming the first enforced
   * rule that failed.
   */
  public void admit(VerifiedAccessToken token, UserProfile profile, boolean known) {
    // One read of the policy per call: a reload between two reads must not mix two policies.
    List<PolicyRule> rules = policies.current().rulesFor(token.identity().issuer());
    if (rules.isEmpty()) {
      return;
    }
    PolicyEvaluation evaluation = evaluate(rules, token, profile, known);
    evaluation.reported().forEach(outcome -> audit.wouldRefuse(token.identity(), outcome));
    evaluation.refusal().ifPresent(outcome -> {
      audit.refused(token.identity(), outcome);
      throw new ProvisioningRefused(outcome.rule().name(), "policy rule " + outcome.rule().name() + " refused "
          + token.identity().issuer() + " subject " + token.identity().subject() + ": " + outcome.reason());
    });
  }
}
