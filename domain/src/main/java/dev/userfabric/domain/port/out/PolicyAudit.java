package dev.userfabric.domain.port.out;

import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.policy.RuleOutcome;

/** Where the policy's decisions are counted and, for the ones not refused, logged. */
public interface PolicyAudit {

  /** An enforced rule refused the identity (the refusal itself reaches the caller and the security log). */
  void refused(Identity identity, RuleOutcome outcome);

  /** A report-mode rule failed: the call goes on, and this is the only trace of it. */
  void wouldRefuse(Identity identity, RuleOutcome outcome);

  PolicyAudit NONE = new PolicyAudit() {
    @Override
    public void refused(Identity identity, RuleOutcome outcome) {}

    @Override
    public void wouldRefuse(Identity identity, RuleOutcome outcome) {}
  };
}
