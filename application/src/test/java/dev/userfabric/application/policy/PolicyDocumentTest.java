package dev.userfabric.application.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userfabric.domain.policy.Condition;
import dev.userfabric.domain.policy.LinkGroup;
import dev.userfabric.domain.policy.PolicyMode;
import dev.userfabric.domain.policy.PolicyRule;
import dev.userfabric.domain.policy.ProvisioningPolicy;
import dev.userfabric.domain.policy.RuleScope;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyDocumentTest {

  private static final String A = "https://a.example.test";
  private static final String B = "https://b.example.test";
  private static final Set<String> TRUSTED = Set.of(A, B);

  private static ProvisioningPolicy parse(String yaml) {
    return PolicyDocument.parse(yaml, TRUSTED);
  }

  private static String refusal(String yaml) {
    return assertThrows(InvalidPolicy.class, () -> parse(yaml)).getMessage();
  }

  @Test
  public void readsEveryRuleTypeWithItsDefaults() {
    ProvisioningPolicy policy = parse("""
        issuers:
          "*":
            - {name: no-banned, type: denied-emails, emails: [banned@example.com]}
          https://a.example.test:
            - name: company
              type: allowed-email-domains
              domains: [example.com, "*.example.com"]
            - {name: verified, type: email-verified, mode: report, applies-to: new-users}
            - {name: tenant, type: claim-equals, claim: tenant, values: acme}
            - {name: staff, type: claim-contains, claim: groups, values: [staff, admins]}
            - {name: level, type: claim-matches, claim: level, pattern: "[0-9]+"}
            - {name: scopes, type: required-scopes, scopes: [openid, userfabric]}
            - {name: no-root, type: denied-subjects, subjects: [root, 0]}
        linking:
          groups:
            - {name: corporate, issuers: [https://a.example.test, https://b.example.test]}
        """);

    List<PolicyRule> rules = policy.rulesFor(A);
    assertEquals(List.of("no-banned", "company", "verified", "tenant", "staff", "level", "scopes", "no-root"),
        rules.stream().map(PolicyRule::name).toList());
    assertEquals(new PolicyRule("company", new Condition.AllowedEmailDomains(Set.of("example.com", "*.example.com")),
        PolicyMode.ENFORCE, RuleScope.ALL_USERS), rules.get(1));
    assertEquals(new PolicyRule("verified", new Condition.EmailVerified(), PolicyMode.REPORT, RuleScope.NEW_USERS),
        rules.get(2));
    assertEquals(new Condition.ClaimEquals("tenant", Set.of("acme")), rules.get(3).condition());
    assertEquals(new Condition.DeniedSubjects(Set.of("root", "0")), rules.get(7).condition());
    assertInstanceOf(Condition.ClaimMatches.class, rules.get(5).condition());
    assertEquals(List.of("no-banned"), policy.rulesFor(B).stream().map(PolicyRule::name).toList());
    assertEquals(List.of(new LinkGroup("corporate", Set.of(A, B))), policy.linkGroups());
  }

  @Test
  public void anEmptyFileIsTheOpenPolicy() {
    assertEquals(ProvisioningPolicy.OPEN, parse(""));
    assertEquals(ProvisioningPolicy.OPEN, parse("issuers: {}"));
  }

  @Test
  public void jsonIsReadToo() {
    ProvisioningPolicy policy = parse("""
        {"issuers": {"https://b.example.test": [{"name": "verified", "type": "email-verified"}]}}
        """);

    assertEquals(1, policy.rulesFor(B).size());
  }

  @Test
  public void everyMistakeNamesItsRule() {
    String base = "issuers:\n  https://a.example.test:\n    - ";
    assertEquals("issuer https://a.example.test rule company: unknown type \"allowed-domains\" (one of "
            + "[allowed-email-domains, claim-contains, claim-equals, claim-matches, denied-emails, denied-subjects, "
            + "email-verified, required-scopes])",
        refusal(base + "{name: company, type: allowed-domains, domains: [x]}"));
    assertTrue(refusal(base + "{name: company, type: allowed-email-domains, domain: [x]}")
        .startsWith("issuer https://a.example.test rule company: unknown key \"domain\""));
    assertEquals("issuer https://a.example.test rule company: domains must be set",
        refusal(base + "{name: company, type: allowed-email-domains}"));
    assertEquals("issuer https://a.example.test rule company: domains must not be empty",
        refusal(base + "{name: company, type: allowed-email-domains, domains: []}"));
    assertEquals("issuer https://a.example.test rule company: mode must be enforce or report, not \"warn\"",
        refusal(base + "{name: company, type: email-verified, mode: warn}"));
    assertEquals("issuer https://a.example.test rule company: applies-to must be all-users or new-users, not \"old\"",
        refusal(base + "{name: company, type: email-verified, applies-to: old}"));
    assertTrue(refusal(base + "{name: level, type: claim-matches, claim: level, pattern: \"[0-9\"}")
        .startsWith("issuer https://a.example.test rule level: pattern is not a regular expression"));
    assertEquals("issuer https://a.example.test rule tenant: claim must be set (text)",
        refusal(base + "{name: tenant, type: claim-equals, values: [acme]}"));
    assertEquals("a rule of issuer https://a.example.test has no name: name must be set (text)",
        refusal(base + "{type: email-verified}"));
    assertEquals("rule twice appears twice for issuer https://a.example.test",
        refusal(base + "{name: twice, type: email-verified}\n    - {name: twice, type: email-verified}"));
  }

  @Test
  public void anIssuerTheServiceDoesNotTrustIsAMistake() {
    assertTrue(refusal("issuers:\n  https://a.example.test/:\n    - {name: v, type: email-verified}")
        .startsWith("issuer https://a.example.test/ is not a trusted issuer"));
    assertEquals("link group g: issuer https://c.example.test is not a trusted issuer",
        refusal("linking:\n  groups:\n    - {name: g, issuers: [https://a.example.test, https://c.example.test]}"));
    assertEquals("link group g: link group g needs at least two issuers",
        refusal("linking:\n  groups:\n    - {name: g, issuers: [https://a.example.test]}"));
  }

  @Test
  public void theDocumentsShapeIsChecked() {
    assertTrue(refusal("rules: []").startsWith("the document: unknown key \"rules\""));
    assertEquals("issuer https://a.example.test must be a list",
        refusal("issuers:\n  https://a.example.test: {name: v}"));
    assertTrue(refusal("issuers: [").startsWith("not YAML"));
    assertEquals("the document must be a mapping", refusal("- a\n- b"));
  }

  @Test
  public void yamlCannotBuildObjects() {
    assertTrue(refusal("issuers: !!java.util.HashMap {}").startsWith("not YAML"));
  }
}
