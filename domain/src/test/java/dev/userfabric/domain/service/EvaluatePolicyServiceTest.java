package dev.userfabric.domain.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userfabric.domain.model.AccessDenied;
import dev.userfabric.domain.model.AccessToken;
import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.model.InvalidUserData;
import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserProfile;
import dev.userfabric.domain.policy.Condition;
import dev.userfabric.domain.policy.PolicyMode;
import dev.userfabric.domain.policy.PolicyRule;
import dev.userfabric.domain.policy.ProvisioningPolicy;
import dev.userfabric.domain.policy.RuleOutcome.Verdict;
import dev.userfabric.domain.policy.RuleScope;
import dev.userfabric.domain.port.in.EvaluatePolicyCommand;
import dev.userfabric.domain.port.in.PolicyDryRun;
import dev.userfabric.domain.port.out.PolicySource;
import dev.userfabric.domain.testing.FixedAccessTokenVerifier;
import dev.userfabric.domain.testing.InMemoryRevocationList;
import dev.userfabric.domain.testing.InMemoryUserCache;
import dev.userfabric.domain.testing.RecordingPolicyAudit;
import dev.userfabric.domain.testing.StubUserProfileProvider;
import dev.userfabric.domain.testing.Tokens;
import dev.userfabric.domain.testing.Users;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EvaluatePolicyServiceTest {

  private static final Identity ADA = Users.identity("ada");
  private static final Identity ROOT = Users.identity("root");
  private static final AccessToken ADMIN = new AccessToken("admin-token");
  private static final AccessToken ADAS = new AccessToken("ada-token");
  private static final UserProfile AT_ELSEWHERE =
      UserProfile.builder().email("ada@elsewhere.test").emailVerified(true).build();

  private final FixedAccessTokenVerifier verifier = new FixedAccessTokenVerifier()
      .accept("admin-token", Tokens.client(ROOT, "admin-token", "userfabric:admin"))
      .accept("ada-token", ADA)
      .accept("plain-token", Tokens.personal(ROOT, "plain-token"));
  private final AccessControl accessControl = new AccessControl(verifier, new InMemoryRevocationList(),
      new AccessPolicy(Optional.empty(), "userfabric:admin"));
  private final InMemoryUserCache cache = new InMemoryUserCache();
  private final StubUserProfileProvider profiles = new StubUserProfileProvider().answer(ADA, AT_ELSEWHERE);
  private final RecordingPolicyAudit audit = new RecordingPolicyAudit();
  private final EvaluatePolicyService service = new EvaluatePolicyService(accessControl, cache, profiles,
      new ProvisioningGate(PolicySource.fixed(new ProvisioningPolicy(Map.of(ADA.issuer(), List.of(
          new PolicyRule("company-emails", new Condition.AllowedEmailDomains(Set.of("example.com")),
              PolicyMode.ENFORCE, RuleScope.ALL_USERS),
          new PolicyRule("verified", new Condition.EmailVerified(), PolicyMode.REPORT, RuleScope.NEW_USERS))),
          List.of())), audit));

  @Test
  public void aNewUsersTokenIsEvaluatedOnTheProvidersProfile() {
    PolicyDryRun dryRun = service.evaluatePolicy(new EvaluatePolicyCommand(ADMIN, ADAS, Optional.empty()));

    assertEquals(PolicyDryRun.ProfileSource.PROVIDER, dryRun.profileSource());
    assertFalse(dryRun.evaluation().allowed());
    assertEquals(List.of(Verdict.FAILED, Verdict.PASSED),
        dryRun.evaluation().outcomes().stream().map(outcome -> outcome.verdict()).toList());
    assertEquals(List.of(), audit.decisions(), "a dry-run is not a decision");
    assertEquals(0, cache.writes());
  }

  @Test
  public void aGivenProfileIsUsedAsItIs() {
    UserProfile atExample = UserProfile.builder().email("ada@example.com").build();

    PolicyDryRun dryRun = service.evaluatePolicy(new EvaluatePolicyCommand(ADMIN, ADAS, Optional.of(atExample)));

    assertEquals(PolicyDryRun.ProfileSource.GIVEN, dryRun.profileSource());
    assertTrue(dryRun.evaluation().allowed());
    assertEquals(Verdict.FAILED, dryRun.evaluation().outcomes().get(1).verdict());
    assertEquals(0, profiles.requests());
  }

  @Test
  public void aKnownUserIsEvaluatedOnTheStoredProfileAndSkipsNewUserRules() {
    cache.preload(User.create(ADA, UserProfile.builder().email("ada@example.com").build(),
        Instant.parse("2026-11-01T00:00:00Z")));

    PolicyDryRun dryRun = service.evaluatePolicy(new EvaluatePolicyCommand(ADMIN, ADAS, Optional.empty()));

    assertEquals(PolicyDryRun.ProfileSource.STORED, dryRun.profileSource());
    assertTrue(dryRun.evaluation().knownUser());
    assertEquals(List.of(Verdict.PASSED, Verdict.NOT_APPLICABLE),
        dryRun.evaluation().outcomes().stream().map(outcome -> outcome.verdict()).toList());
  }

  @Test
  public void onlyAnAdministratorMayAsk() {
    assertThrows(AccessDenied.class,
        () -> service.evaluatePolicy(new EvaluatePolicyCommand(ADAS, ADAS, Optional.empty())));
  }

  @Test
  public void aTokenCreateUserWouldRefuseIsBadInput() {
    assertThrows(InvalidUserData.class, () -> service.evaluatePolicy(
        new EvaluatePolicyCommand(ADMIN, new AccessToken("forged"), Optional.empty())));
    assertThrows(InvalidUserData.class, () -> service.evaluatePolicy(
        new EvaluatePolicyCommand(ADMIN, ADMIN, Optional.empty())), "a client's token is not a user's");
  }
}
