package dev.userfabric.application.policy;

import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.policy.RuleOutcome;
import dev.userfabric.domain.port.out.PolicyAudit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the policy's refusals by rule ({@code userfabric.policy.decisions}), and writes the one
 * security line of a report-mode failure (an enforced refusal gets its line from the RPC adapter,
 * with the call's peer and token fingerprint). Rule names and issuers come from the operator's
 * file, so the tags stay few.
 */
public final class MeteredPolicyAudit implements PolicyAudit {

  private static final Logger security = LoggerFactory.getLogger("userfabric.security");

  private final MeterRegistry registry;

  public MeteredPolicyAudit(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void refused(Identity identity, RuleOutcome outcome) {
    count(identity, outcome, "refused");
  }

  @Override
  public void wouldRefuse(Identity identity, RuleOutcome outcome) {
    count(identity, outcome, "reported");
    security.atWarn()
        .addKeyValue("rule", outcome.rule().name()).addKeyValue("mode", "report")
        .addKeyValue("issuer", identity.issuer()).addKeyValue("subject", identity.subject())
        .addKeyValue("detail", printable(outcome.reason()))
        .log("policy rule {} (report mode) would refuse issuer={} subject={}: {}",
            outcome.rule().name(), identity.issuer(), identity.subject(), printable(outcome.reason()));
  }

  /** A reason may quote a profile's email domain: no line breaks reach the log. */
  private static String printable(String reason) {
    return reason.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
  }

  private void count(Identity identity, RuleOutcome outcome, String decision) {
    Counter.builder("userfabric.policy.decisions")
        .description("Provisioning policy failures by rule: refused (enforce) or reported (report mode)")
        .tag("issuer", identity.issuer())
        .tag("rule", outcome.rule().name())
        .tag("decision", decision)
        .register(registry)
        .increment();
  }
}
