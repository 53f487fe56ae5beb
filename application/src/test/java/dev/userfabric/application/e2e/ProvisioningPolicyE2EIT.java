package dev.userfabric.application.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.rpc.ErrorInfo;
import dev.userfabric.proto.v1.CreateUserRequest;
import dev.userfabric.proto.v1.CreateUserResponse;
import dev.userfabric.proto.v1.EvaluatePolicyRequest;
import dev.userfabric.proto.v1.EvaluatePolicyResponse;
import dev.userfabric.proto.v1.ProfileSource;
import dev.userfabric.proto.v1.RuleResult;
import dev.userfabric.proto.v1.UserProfile;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The provisioning policy through the packaged service: refusals over gRPC that publish and store
 * nothing, a report-mode rule that lets the call through and is counted, the dry-run, and a reload
 * of the file while the service runs.
 */
@MicronautTest
class ProvisioningPolicyE2EIT extends TwoProviders {

  private static final String POLICY = """
      issuers:
        "*":
          - {name: no-banned-emails, type: denied-emails, emails: [banned@example.com]}
        "%A":
          - {name: company-emails, type: allowed-email-domains, domains: [example.com]}
          - {name: staff-only, type: claim-contains, claim: groups, values: [staff]}
        "%B":
          - {name: verified-email, type: email-verified}
          - {name: tenant-acme, type: claim-equals, claim: tenant, values: [acme], mode: report}
      """;

  @Inject
  MeterRegistry registry;

  @Override
  String policy() {
    return POLICY;
  }

  @Test
  public void aRefusedNewUserGetsTheRulesNameAndNothingIsPublishedOrStored() throws Exception {
    eventsSeen();
    String subject = "outsider-" + UUID.randomUUID();
    String token = login(idpA, subject, Map.of("email", subject + "@elsewhere.test", "email_verified", true,
        "groups", List.of("staff")));

    StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
        () -> users(token).createUser(CreateUserRequest.getDefaultInstance()));

    assertEquals(Status.Code.PERMISSION_DENIED, refused.getStatus().getCode());
    ErrorInfo info = errorInfo(refused);
    assertEquals("PROVISIONING_POLICY", info.getReason());
    assertEquals("company-emails", info.getMetadataOrThrow("rule"));
    assertNoEvents();
    String wouldBeId = dev.userfabric.domain.model.UserId.of(
        new dev.userfabric.domain.model.Identity(issuerA, subject)).toString();
    assertEquals(0, servers.redis.sync().exists(servers.userKey(wouldBeId)), "nothing stored");
  }

  @Test
  public void rulesForEveryIssuerApplyToBoth() throws Exception {
    eventsSeen();
    String token = login(idpB, "banned-" + UUID.randomUUID(), Map.of("email", "Banned@Example.com",
        "email_verified", true, "tenant", "acme"));

    StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
        () -> users(token).createUser(CreateUserRequest.getDefaultInstance()));

    assertEquals("no-banned-emails", errorInfo(refused).getMetadataOrThrow("rule"));
    assertNoEvents();
  }

  @Test
  public void aKnownUserRemovedFromTheGroupAtTheProviderIsRefusedOnTheNextCall() throws Exception {
    String subject = "staff-" + UUID.randomUUID();
    String email = subject + "@example.com";
    CreateUserResponse created = users(login(idpA, subject, Map.of("email", email, "email_verified", true,
        "groups", List.of("staff", "users")))).createUser(CreateUserRequest.getDefaultInstance());
    assertTrue(created.getCreated());
    awaitStored(created.getUser().getId());
    eventsSeen();

    String withoutStaff = login(idpA, subject, Map.of("email", email, "email_verified", true, "groups", List.of("users")));
    StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
        () -> users(withoutStaff).createUser(CreateUserRequest.getDefaultInstance()));

    assertEquals("staff-only", errorInfo(refused).getMetadataOrThrow("rule"));
    assertNoEvents();
  }

  @Test
  public void aReportModeRuleLetsTheCallThroughAndIsCounted() throws Exception {
    double before = reported("tenant-acme");
    String subject = "globex-" + UUID.randomUUID();

    CreateUserResponse created = users(login(idpB, subject, Map.of("email", subject + "@globex.test",
        "email_verified", true, "tenant", "globex"))).createUser(CreateUserRequest.getDefaultInstance());

    assertTrue(created.getCreated());
    assertEquals(before + 1, reported("tenant-acme"));
  }

  @Test
  public void anUnverifiedEmailAtBIsRefused() throws Exception {
    eventsSeen();
    String token = login(idpB, "unverified-" + UUID.randomUUID(), Map.of("email", "x@example.com",
        "email_verified", false, "tenant", "acme"));

    StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
        () -> users(token).createUser(CreateUserRequest.getDefaultInstance()));

    assertEquals("verified-email", errorInfo(refused).getMetadataOrThrow("rule"));
    assertNoEvents();
  }

  @Test
  public void theDryRunSaysWhichRulesPassAndWhyAndCreatesNothing() throws Exception {
    eventsSeen();
    double reportedBefore = reported("tenant-acme");
    String subject = "dry-" + UUID.randomUUID();
    String token = login(idpB, subject, Map.of("email", subject + "@example.com", "email_verified", false,
        "tenant", "globex"));

    EvaluatePolicyResponse answer = policies(admin()).evaluatePolicy(
        EvaluatePolicyRequest.newBuilder().setAccessToken(token).build());

    assertFalse(answer.getAllowed());
    assertEquals("verified-email", answer.getRefusingRule());
    assertEquals(issuerB, answer.getIssuer());
    assertEquals(subject, answer.getSubject());
    assertFalse(answer.getKnownUser());
    assertEquals(ProfileSource.PROFILE_SOURCE_PROVIDER, answer.getProfileSource());
    assertEquals(List.of("no-banned-emails PASSED", "verified-email FAILED the email is not verified",
            "tenant-acme FAILED claim tenant is not one of [acme]"),
        answer.getRulesList().stream().map(ProvisioningPolicyE2EIT::describe).toList());
    assertEquals("report", answer.getRules(2).getMode());

    EvaluatePolicyResponse withProfile = policies(admin()).evaluatePolicy(EvaluatePolicyRequest.newBuilder()
        .setAccessToken(token).setProfile(UserProfile.newBuilder().setEmail("a@example.com").setEmailVerified(true))
        .build());
    assertTrue(withProfile.getAllowed());
    assertEquals(ProfileSource.PROFILE_SOURCE_GIVEN, withProfile.getProfileSource());

    assertNoEvents();
    assertEquals(reportedBefore, reported("tenant-acme"), "a dry-run counts nothing");
  }

  @Test
  public void theDryRunIsForAdministratorsAndRefusesATokenCreateUserWouldRefuse() throws Exception {
    String token = login(idpB, "dry-" + UUID.randomUUID(), Map.of("email", "x@example.com"));

    StatusRuntimeException notAdmin = assertThrows(StatusRuntimeException.class, () -> policies(token)
        .evaluatePolicy(EvaluatePolicyRequest.newBuilder().setAccessToken(token).build()));
    assertEquals("INSUFFICIENT_SCOPE", errorInfo(notAdmin).getReason());

    StatusRuntimeException forged = assertThrows(StatusRuntimeException.class, () -> policies(admin())
        .evaluatePolicy(EvaluatePolicyRequest.newBuilder().setAccessToken(token + "x").build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, forged.getStatus().getCode());
    assertEquals("EVALUATED_TOKEN_REFUSED", errorInfo(forged).getReason());
    assertEquals("ACCESS_TOKEN_INVALID", errorInfo(forged).getMetadataOrThrow("refusal"));
  }

  @Test
  public void aChangedFileAppliesWithoutARestartAndAnInvalidOneKeepsThePolicy() throws Exception {
    String subject = "reload-" + UUID.randomUUID();
    String token = login(idpB, subject, Map.of("email", subject + "@example.com", "email_verified", true,
        "tenant", "acme"));
    EvaluatePolicyRequest ask = EvaluatePolicyRequest.newBuilder().setAccessToken(token).build();
    assertTrue(policies(admin()).evaluatePolicy(ask).getAllowed());
    try {
      writePolicy(POLICY + "    - {name: not-this-one, type: denied-subjects, subjects: [\"" + subject + "\"]}\n");
      eventually(() -> !policies(admin()).evaluatePolicy(ask).getAllowed());

      StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
          () -> users(token).createUser(CreateUserRequest.getDefaultInstance()));
      assertEquals("not-this-one", errorInfo(refused).getMetadataOrThrow("rule"));

      double invalid = registry.get("userfabric.policy.reloads").tag("result", "invalid").counter().count();
      writePolicy(POLICY + "    - {name: broken, type: no-such-rule}\n");
      eventually(() -> registry.get("userfabric.policy.reloads").tag("result", "invalid").counter().count() > invalid);
      assertEquals("not-this-one", policies(admin()).evaluatePolicy(ask).getRefusingRule(), "the old policy stays");
    } finally {
      writePolicy(POLICY);
      eventually(() -> policies(admin()).evaluatePolicy(ask).getAllowed());
    }
    assertTrue(users(token).createUser(CreateUserRequest.getDefaultInstance()).getCreated());
  }

  private static String describe(RuleResult rule) {
    return (rule.getName() + " " + rule.getVerdict() + " " + rule.getReason()).strip();
  }

  private double reported(String rule) {
    Counter counter = registry.find("userfabric.policy.decisions").tag("rule", rule).tag("decision", "reported")
        .counter();
    return counter == null ? 0 : counter.count();
  }

  private void awaitStored(String userId) throws Exception {
    eventually(() -> servers.redis.sync().exists(servers.userKey(userId)) == 1);
  }

  private static void eventually(MockProviderServers.Condition condition) throws Exception {
    MockProviderServers.eventually(Duration.ofSeconds(20), condition);
  }
}
