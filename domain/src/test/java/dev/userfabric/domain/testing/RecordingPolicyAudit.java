package dev.userfabric.domain.testing;

import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.policy.RuleOutcome;
import dev.userfabric.domain.port.out.PolicyAudit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every decision the gate audited, as "refused:rule" or "reported:rule". */
public final class RecordingPolicyAudit implements PolicyAudit {

  private final List<String> decisions = new CopyOnWriteArrayList<>();

  @Override
  public void refused(Identity identity, RuleOutcome outcome) {
    decisions.add("refused:" + outcome.rule().name());
  }

  @Override
  public void wouldRefuse(Identity identity, RuleOutcome outcome) {
    decisions.add("reported:" + outcome.rule().name());
  }

  public List<String> decisions() {
    return List.copyOf(decisions);
  }
}
