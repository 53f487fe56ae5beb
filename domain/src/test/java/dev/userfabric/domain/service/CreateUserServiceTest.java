package dev.userfabric.domain.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userfabric.domain.model.AccessToken;
import dev.userfabric.domain.model.CacheUnavailable;
import dev.userfabric.domain.model.EventPublishFailed;
import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.model.IdentityProviderUnavailable;
import dev.userfabric.domain.model.InvalidAccessToken;
import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserCreated;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.model.UserProfile;
import dev.userfabric.domain.port.in.CreateUserCommand;
import dev.userfabric.domain.port.in.CreateUserResult;
import dev.userfabric.domain.testing.FixedAccessTokenVerifier;
import dev.userfabric.domain.testing.InMemoryRevocationList;
import dev.userfabric.domain.testing.InMemoryUserCache;
import dev.userfabric.domain.testing.RecordingUserEventPublisher;
import dev.userfabric.domain.testing.StubUserProfileProvider;
import dev.userfabric.domain.testing.Users;
import dev.userfabric.domain.model.Revision;
import dev.userfabric.domain.model.UserRecord;
import dev.userfabric.domain.model.UserUpdated;
import dev.userfabric.domain.model.UserVersion;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import dev.userfabric.domain.model.ProvisioningRefused;
import dev.userfabric.domain.policy.Condition;
import dev.userfabric.domain.policy.PolicyMode;
import dev.userfabric.domain.policy.PolicyRule;
import dev.userfabric.domain.policy.ProvisioningPolicy;
import dev.userfabric.domain.policy.RuleScope;
import dev.userfabric.domain.port.out.PolicySource;
import dev.userfabric.domain.testing.RecordingPolicyAudit;
import java.util.Map;
import java.util.ArrayList;
import java.util.function.Supplier;
import dev.userfabric.domain.model.UserEvent;
import dev.userfabric.domain.model.VerifiedAccessToken;
import dev.userfabric.domain.port.out.RevocationList;
import dev.userfabric.domain.port.out.UserCache;
import dev.userfabric.domain.port.out.UserPage;
import dev.userfabric.domain.port.out.UserQuery;
import org.junit.jupiter.api.Test;

class CreateUserServiceTest {

  private static final Instant NOW = Instant.parse("2026-11-21T08:00:00Z");
  private static final UUID EVENT_ID = UUID.fromString("0b6f1e9c-2f43-4a4e-9d0e-4a1c3b2d1e0f");
  private static final Identity ADA = Users.identity("ada");
  private static final UserProfile ADA_PROFILE =
      UserProfile.builder().email("ada@example.test").emailVerified(true).name("Ada").build();
  private static final CreateUserCommand ADAS_CALL =
      new CreateUserCommand(new AccessToken("ada-token"));

  private final FixedAccessTokenVerifier verifier =
      new FixedAccessTokenVerifier().accept("ada-token", ADA);
  private final InMemoryRevocationList revocations = new InMemoryRevocationList();
  private final AccessControl accessControl = new AccessControl(
      verifier, revocations, new AccessPolicy(Optional.empty(), "userfabric:admin"));
  private final InMemoryUserCache cache = new InMemoryUserCache();
  private final StubUserProfileProvider profiles =
      new StubUserProfileProvider().answer(ADA, ADA_PROFILE);
  private final RecordingUserEventPublisher publisher = new RecordingUserEventPublisher();
  private final CreateUserService service = new CreateUserService(
      accessControl, cache, profiles, publisher, InstantSource.fixed(NOW), () -> EVENT_ID);

  @Test
  public void createsAndPublishesAnUnknownUser() {
    CreateUserResult result = service.createUser(ADAS_CALL);

    User expected = new User(UserId.of(ADA), ADA, ADA_PROFILE, NOW);
    assertTrue(result.created());
    assertEquals(expected, result.user());
    assertEquals(List.of(new UserCreated(EVENT_ID, NOW, expected)), publisher.published());
  }

  @Test
  public void leavesStoringTheNewUserToTheEventDriver() {
    service.createUser(ADAS_CALL);

    assertEquals(0, cache.writes());
  }

  @Test
  public void returnsAKnownUserWithoutFetchingOrPublishing() {
    User known = Users.fullUser("ada");
    cache.preload(known);

    CreateUserResult result = service.createUser(ADAS_CALL);

    assertFalse(result.created());
    assertEquals(known, result.user());
    assertEquals(0, profiles.requests());
    assertTrue(publisher.published().isEmpty());
  }

  @Test
  public void givesTheSameIdToEveryCallForOnePerson() {
    CreateUserResult first = service.createUser(ADAS_CALL);
    CreateUserResult retry = service.createUser(ADAS_CALL);

    assertEquals(first.user().id(), retry.user().id());
  }

  @Test
  public void refusesAnInvalidTokenTouchingNothing() {
    CreateUserCommand forged = new CreateUserCommand(new AccessToken("forged"));

    assertThrows(InvalidAccessToken.class, () -> service.createUser(forged));

    assertEquals(0, profiles.requests());
    assertTrue(publisher.published().isEmpty());
  }

  @Test
  public void refusesARevokedTokenBeforeLookingTheUserUp() {
    revocations.revoke(verifier.verify(ADAS_CALL.accessToken()));

    InvalidAccessToken refused = assertThrows(InvalidAccessToken.class, () -> service.createUser(ADAS_CALL));

    assertEquals(InvalidAccessToken.Reason.REVOKED, refused.reason());
    assertEquals(0, cache.reads());
    assertEquals(0, profiles.requests());
    assertTrue(publisher.published().isEmpty());
  }

  @Test
  public void asksForTheRecordBeforeAwaitingTheRevocationCheckAndLooksAtItOnlyAfter() {
    cache.preload(Users.fullUser("ada"));
    List<String> steps = new ArrayList<>();

    recordingSteps(steps).createUser(ADAS_CALL);

    assertEquals(List.of("ask for the record", "check revocation", "await the record"), steps);
  }

  @Test
  public void neverLooksAtTheRecordAskedForARevokedToken() {
    revocations.revoke(verifier.verify(ADAS_CALL.accessToken()));
    List<String> steps = new ArrayList<>();

    assertThrows(InvalidAccessToken.class, () -> recordingSteps(steps).createUser(ADAS_CALL));

    assertEquals(List.of("ask for the record", "check revocation"), steps);
  }

  /** The service over this test's cache and revocation list, noting each step of a known user's call. */
  private CreateUserService recordingSteps(List<String> steps) {
    UserCache store = new UserCache() {
      @Override
      public UserRecord read(UserId id) {
        steps.add("read");
        return cache.read(id);
      }

      @Override
      public Supplier<UserRecord> readAhead(UserId id) {
        steps.add("ask for the record");
        return () -> {
          steps.add("await the record");
          return cache.read(id);
        };
      }

      @Override
      public boolean apply(UserEvent event) {
        return cache.apply(event);
      }

      @Override
      public UserPage list(UserQuery query) {
        return cache.list(query);
      }
    };
    RevocationList list = new RevocationList() {
      @Override
      public boolean isRevoked(VerifiedAccessToken token) {
        steps.add("check revocation");
        return revocations.isRevoked(token);
      }

      @Override
      public void revoke(VerifiedAccessToken token) {
        revocations.revoke(token);
      }

      @Override
      public void revokeIssuedBefore(UserId user, Instant cutoff) {
        revocations.revokeIssuedBefore(user, cutoff);
      }
    };
    AccessControl checking = new AccessControl(verifier, list, new AccessPolicy(Optional.empty(), "userfabric:admin"));
    return new CreateUserService(checking, store, profiles, publisher, InstantSource.fixed(NOW), () -> EVENT_ID);
  }

  @Test
  public void failsWithoutPublishingWhenTheIdentityProviderIsDown() {
    verifier.goDown();

    assertThrows(IdentityProviderUnavailable.class, () -> service.createUser(ADAS_CALL));
    assertTrue(publisher.published().isEmpty());
  }

  @Test
  public void failsWithoutPublishingWhenTheCacheIsDown() {
    cache.goDown();

    assertThrows(CacheUnavailable.class, () -> service.createUser(ADAS_CALL));
    assertEquals(0, profiles.requests());
    assertTrue(publisher.published().isEmpty());
  }

  @Test
  public void failsWithoutPublishingWhenTheUserinfoEndpointIsDown() {
    profiles.goDown();

    assertThrows(IdentityProviderUnavailable.class, () -> service.createUser(ADAS_CALL));
    assertTrue(publisher.published().isEmpty());
  }

  @Test
  public void reportsAnUnconfirmedEventAsAFailureNotACreation() {
    publisher.goDown();

    assertThrows(EventPublishFailed.class, () -> service.createUser(ADAS_CALL));
  }

  @Test
  public void createsTheUserOnARetryAfterTheBrokerComesBack() {
    publisher.goDown();
    assertThrows(EventPublishFailed.class, () -> service.createUser(ADAS_CALL));
    publisher.comeBack();

    CreateUserResult retry = service.createUser(ADAS_CALL);

    assertTrue(retry.created());
    assertEquals(1, publisher.published().size());
  }

  @Test
  public void bringsAnErasedUserBackAsANewerVersionThanItsTombstone() {
    long tombstoneVersion = UserVersion.of(NOW) + 5_000; // erased by a replica whose clock is ahead
    cache.preload(UserId.of(ADA), new UserRecord.Erased(UserId.of(ADA),
        InMemoryUserCache.revision(tombstoneVersion, Revision.Kind.DELETED), NOW));

    CreateUserResult result = service.createUser(ADAS_CALL);

    assertTrue(result.created());
    assertEquals(tombstoneVersion + 1, result.user().version());
    assertTrue(cache.apply(publisher.published().getFirst()), "the store takes the new creation");
  }

  @Test
  public void refreshesAStoredProfileOlderThanTheMaxAge() {
    CreateUserService refreshing = new CreateUserService(accessControl, cache, profiles, publisher,
        InstantSource.fixed(NOW), () -> EVENT_ID, Optional.of(Duration.ofDays(1)));
    User old = new User(UserId.of(ADA), ADA, UserProfile.EMPTY, NOW.minus(Duration.ofDays(2)));
    cache.preload(old);

    CreateUserResult result = refreshing.createUser(ADAS_CALL);

    assertFalse(result.created());
    assertEquals(ADA_PROFILE, result.user().profile());
    assertEquals(NOW, result.user().updatedAt());
    UserUpdated update = (UserUpdated) publisher.published().getFirst();
    assertEquals(Set.of("email", "email_verified", "name"), update.changedFields());
  }

  @Test
  public void leavesAProfileYoungerThanTheMaxAgeAlone() {
    CreateUserService refreshing = new CreateUserService(accessControl, cache, profiles, publisher,
        InstantSource.fixed(NOW), () -> EVENT_ID, Optional.of(Duration.ofDays(1)));
    cache.preload(new User(UserId.of(ADA), ADA, UserProfile.EMPTY, NOW.minus(Duration.ofHours(23))));

    refreshing.createUser(ADAS_CALL);

    assertEquals(0, profiles.requests());
    assertTrue(publisher.published().isEmpty());
  }

  private CreateUserService withPolicy(PolicyRule rule, RecordingPolicyAudit audit) {
    ProvisioningGate gate = new ProvisioningGate(PolicySource.fixed(
        new ProvisioningPolicy(Map.of(ADA.issuer(), List.of(rule)), List.of())), audit);
    return new CreateUserService(accessControl, cache, profiles, publisher, InstantSource.fixed(NOW), () -> EVENT_ID,
        Optional.empty(), gate, IdentityLinker.off(cache));
  }

  @Test
  public void aPolicyRefusalPublishesAndStoresNothing() {
    RecordingPolicyAudit audit = new RecordingPolicyAudit();
    CreateUserService guarded = withPolicy(new PolicyRule("company-emails",
        new Condition.AllowedEmailDomains(Set.of("example.com")), PolicyMode.ENFORCE, RuleScope.ALL_USERS), audit);

    ProvisioningRefused refused = assertThrows(ProvisioningRefused.class, () -> guarded.createUser(ADAS_CALL));

    assertEquals("company-emails", refused.rule());
    assertEquals(List.of(), publisher.published());
    assertEquals(0, cache.writes());
    assertEquals(List.of("refused:company-emails"), audit.decisions());
  }

  @Test
  public void aKnownUserTheRuleNoLongerAdmitsIsRefusedWithoutAProviderCall() {
    cache.preload(new User(UserId.of(ADA), ADA, ADA_PROFILE, NOW));
    CreateUserService guarded = withPolicy(new PolicyRule("staff-only",
        new Condition.ClaimContains("groups", Set.of("staff")), PolicyMode.ENFORCE, RuleScope.ALL_USERS),
        new RecordingPolicyAudit());

    assertThrows(ProvisioningRefused.class, () -> guarded.createUser(ADAS_CALL));

    assertEquals(0, profiles.requests());
    assertEquals(List.of(), publisher.published());
  }

  @Test
  public void aNewUsersOnlyRuleLeavesKnownUsersAlone() {
    cache.preload(new User(UserId.of(ADA), ADA, ADA_PROFILE, NOW));
    CreateUserService guarded = withPolicy(new PolicyRule("staff-only",
        new Condition.ClaimContains("groups", Set.of("staff")), PolicyMode.ENFORCE, RuleScope.NEW_USERS),
        new RecordingPolicyAudit());

    assertFalse(guarded.createUser(ADAS_CALL).created());
  }

  @Test
  public void aReportModeRuleCreatesTheUserAndIsAudited() {
    RecordingPolicyAudit audit = new RecordingPolicyAudit();
    CreateUserService guarded = withPolicy(new PolicyRule("company-emails",
        new Condition.AllowedEmailDomains(Set.of("example.com")), PolicyMode.REPORT, RuleScope.ALL_USERS), audit);

    assertTrue(guarded.createUser(ADAS_CALL).created());

    assertEquals(1, publisher.published().size());
    assertEquals(List.of("reported:company-emails"), audit.decisions());
  }

  @Test
  public void theRulesSeeTheFetchedProfile() {
    CreateUserService guarded = withPolicy(new PolicyRule("test-emails",
        new Condition.AllowedEmailDomains(Set.of("example.test")), PolicyMode.ENFORCE, RuleScope.ALL_USERS),
        new RecordingPolicyAudit());

    assertTrue(guarded.createUser(ADAS_CALL).created());
  }
}
