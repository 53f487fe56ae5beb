package dev.userfabric.domain.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.model.ProvisioningRefused;
import dev.userfabric.domain.model.UserProfile;
import dev.userfabric.domain.model.VerifiedAccessToken;
import dev.userfabric.domain.policy.Condition.AllowedEmailDomains;
import dev.userfabric.domain.policy.Condition.DeniedSubjects;
import dev.userfabric.domain.policy.Condition.EmailVerified;
import dev.userfabric.domain.policy.PolicyEvaluation;
import dev.userfabric.domain.policy.PolicyMode;
import dev.userfabric.domain.policy.PolicyRule;
import dev.userfabric.domain.policy.ProvisioningPolicy;
import dev.userfabric.domain.policy.RuleOutcome.Verdict;
import dev.userfabric.domain.policy.RuleScope;
import dev.userfabric.domain.port.out.PolicySource;
import dev.userfabric.domain.testing.RecordingPolicyAudit;
import dev.userfabric.domain.testing.Tokens;
import dev.userfabric.domain.testing.Users;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ProvisioningGateTest {

  private static final Identity ADA = Users.identity("ada");
  private static final VerifiedAccessToken TOKEN = Tokens.personal(ADA, "t-1");
  private static final UserProfile UNVERIFIED_AT_ELSEWHERE =
      UserProfile.builder().email("ada@elsewhere.test").emailVerified(false).build();

  private static final PolicyRule DOMAINS = new PolicyRule("company-emails",
      new AllowedEmailDomains(Set.of("example.com")), PolicyMode.ENFORCE, RuleScope.ALL_USERS);
  private static final PolicyRule VERIFIED = new PolicyRule("verified-email", new EmailVerified(),
      PolicyMode.ENFORCE, RuleScope.ALL_USERS);

  private final RecordingPolicyAudit audit = new RecordingPolicyAudit();

  private ProvisioningGate gate(Map<String, List<PolicyRule>> rules) {
    return new ProvisioningGate(PolicySource.fixed(new ProvisioningPolicy(rules, List.of())), audit);
  }

  @Test
  public void theFirstEnforcedFailureRefusesAndIsNamed() {
    ProvisioningGate gate = gate(Map.of(Users.ISSUER, List.of(DOMAINS, VERIFIED)));

    ProvisioningRefused refused = assertThrows(ProvisioningRefused.class,
        () -> gate.admit(TOKEN, UNVERIFIED_AT_ELSEWHERE, false));

    assertEquals("company-emails", refused.rule());
    assertEquals(List.of("refused:company-emails"), audit.decisions());
  }

  @Test
  public void aReportModeRuleIsAuditedAndLetsTheCallThrough() {
    PolicyRule reported = new PolicyRule("company-emails", new AllowedEmailDomains(Set.of("example.com")),
        PolicyMode.REPORT, RuleScope.ALL_USERS);
    ProvisioningGate gate = gate(Map.of(Users.ISSUER, List.of(reported)));

    gate.admit(TOKEN, UNVERIFIED_AT_ELSEWHERE, false);

    assertEquals(List.of("reported:company-emails"), audit.decisions());
  }

  @Test
  public void reportedFailuresAreAuditedEvenWhenAnotherRuleRefuses() {
    PolicyRule reported = new PolicyRule("company-emails", new AllowedEmailDomains(Set.of("example.com")),
        PolicyMode.REPORT, RuleScope.ALL_USERS);
    ProvisioningGate gate = gate(Map.of(Users.ISSUER, List.of(reported, VERIFIED)));

    assertThrows(ProvisioningRefused.class, () -> gate.admit(TOKEN, UNVERIFIED_AT_ELSEWHERE, false));

    assertEquals(List.of("reported:company-emails", "refused:verified-email"), audit.decisions());
  }

  @Test
  public void aNewUsersOnlyRuleSkipsKnownUsers() {
    PolicyRule newOnly = new PolicyRule("company-emails", new AllowedEmailDomains(Set.of("example.com")),
        PolicyMode.ENFORCE, RuleScope.NEW_USERS);
    ProvisioningGate gate = gate(Map.of(Users.ISSUER, List.of(newOnly)));

    gate.admit(TOKEN, UNVERIFIED_AT_ELSEWHERE, true);
    assertThrows(ProvisioningRefused.class, () -> gate.admit(TOKEN, UNVERIFIED_AT_ELSEWHERE, false));

    assertEquals(Verdict.NOT_APPLICABLE,
        gate.evaluate(TOKEN, UNVERIFIED_AT_ELSEWHERE, true).outcomes().getFirst().verdict());
  }

  @Test
  public void rulesForEveryIssuerComeFirstAndOthersIssuersRulesDoNotApply() {
    PolicyRule denyAda = new PolicyRule("no-ada", new DeniedSubjects(Set.of("ada")), PolicyMode.ENFORCE,
        RuleScope.ALL_USERS);
    ProvisioningGate gate = gate(Map.of(ProvisioningPolicy.EVERY_ISSUER, List.of(VERIFIED),
        Users.ISSUER, List.of(denyAda), "https://other.example.test", List.of(DOMAINS)));

    PolicyEvaluation evaluation = gate.evaluate(TOKEN, UNVERIFIED_AT_ELSEWHERE, false);

    assertEquals(List.of("verified-email", "no-ada"),
        evaluation.outcomes().stream().map(outcome -> outcome.rule().name()).toList());
    assertEquals("verified-email", evaluation.refusal().orElseThrow().rule().name());
  }

  @Test
  public void evaluatingAuditsNothing() {
    ProvisioningGate gate = gate(Map.of(Users.ISSUER, List.of(DOMAINS, VERIFIED)));

    PolicyEvaluation evaluation = gate.evaluate(TOKEN, UNVERIFIED_AT_ELSEWHERE, false);

    assertEquals(List.of(Verdict.FAILED, Verdict.FAILED),
        evaluation.outcomes().stream().map(outcome -> outcome.verdict()).toList());
    assertEquals(List.of(), audit.decisions());
  }

  @Test
  public void anIssuerWithoutRulesIsAdmitted() {
    gate(Map.of("https://other.example.test", List.of(DOMAINS))).admit(TOKEN, UNVERIFIED_AT_ELSEWHERE, false);
    ProvisioningGate.open().admit(TOKEN, UserProfile.EMPTY, false);

    assertTrue(audit.decisions().isEmpty());
  }

  @Test
  public void aReloadedPolicyAppliesFromTheNextCall() {
    AtomicReference<ProvisioningPolicy> current = new AtomicReference<>(ProvisioningPolicy.OPEN);
    ProvisioningGate gate = new ProvisioningGate(current::get, audit);
    gate.admit(TOKEN, UNVERIFIED_AT_ELSEWHERE, false);

    current.set(new ProvisioningPolicy(Map.of(Users.ISSUER, List.of(VERIFIED)), List.of()));

    assertThrows(ProvisioningRefused.class, () -> gate.admit(TOKEN, UNVERIFIED_AT_ELSEWHERE, false));
  }

  @Test
  public void aPolicyRefusesRepeatedRuleNamesAndIssuersInTwoLinkGroups() {
    assertThrows(IllegalArgumentException.class,
        () -> new ProvisioningPolicy(Map.of(Users.ISSUER, List.of(VERIFIED, VERIFIED)), List.of()));
    assertThrows(IllegalArgumentException.class, () -> new ProvisioningPolicy(Map.of(), List.of(
        new dev.userfabric.domain.policy.LinkGroup("a", Set.of("x", "y")),
        new dev.userfabric.domain.policy.LinkGroup("b", Set.of("y", "z")))));
  }
}
