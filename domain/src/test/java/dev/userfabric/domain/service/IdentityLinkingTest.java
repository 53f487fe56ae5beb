package dev.userfabric.domain.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userfabric.domain.model.AccessToken;
import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.model.IdentityLinked;
import dev.userfabric.domain.model.IdentityUnlinked;
import dev.userfabric.domain.model.InvalidUserData;
import dev.userfabric.domain.model.LinkPending;
import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserCreated;
import dev.userfabric.domain.model.UserEvent;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.model.UserProfile;
import dev.userfabric.domain.model.UserRecord;
import dev.userfabric.domain.policy.LinkGroup;
import dev.userfabric.domain.policy.ProvisioningPolicy;
import dev.userfabric.domain.port.in.ApplyUserEventCommand;
import dev.userfabric.domain.port.in.CreateUserCommand;
import dev.userfabric.domain.port.in.CreateUserResult;
import dev.userfabric.domain.port.in.GetUserCommand;
import dev.userfabric.domain.port.in.UnlinkIdentityCommand;
import dev.userfabric.domain.port.out.PolicySource;
import dev.userfabric.domain.testing.FixedAccessTokenVerifier;
import dev.userfabric.domain.testing.InMemoryLinkIndex;
import dev.userfabric.domain.testing.InMemoryRevocationList;
import dev.userfabric.domain.testing.InMemoryUserCache;
import dev.userfabric.domain.testing.RecordingUserEventPublisher;
import dev.userfabric.domain.testing.StubUserProfileProvider;
import dev.userfabric.domain.testing.Tokens;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Every branch of identity linking, with the event driver's part played by the apply use case on
 * the same in-memory store: a link is made only on a verified email held verified by exactly one
 * user of the same group.
 */
class IdentityLinkingTest {

  private static final String A = "https://a.example.test";
  private static final String B = "https://b.example.test";
  private static final String C = "https://c.example.test";
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  private final FixedAccessTokenVerifier verifier = new FixedAccessTokenVerifier()
      .accept("admin", Tokens.client(new Identity(A, "ops"), "admin", "userfabric:admin"));
  private final InMemoryRevocationList revocations = new InMemoryRevocationList();
  private final AccessControl accessControl = new AccessControl(verifier, revocations,
      new AccessPolicy(Optional.empty(), "userfabric:admin"));
  private final InMemoryUserCache cache = new InMemoryUserCache();
  private final InMemoryLinkIndex index = new InMemoryLinkIndex();
  private final StubUserProfileProvider profiles = new StubUserProfileProvider();
  private final RecordingUserEventPublisher publisher = new RecordingUserEventPublisher();
  private final AtomicLong eventCounter = new AtomicLong();
  private final PolicySource policy = PolicySource.fixed(
      new ProvisioningPolicy(Map.of(), List.of(new LinkGroup("corporate", Set.of(A, B)))));
  private final IdentityLinker linker = new IdentityLinker(policy, index, cache);
  private final CreateUserService createUser = new CreateUserService(accessControl, cache, profiles, publisher,
      InstantSource.fixed(NOW), () -> new UUID(1, eventCounter.incrementAndGet()), Optional.empty(),
      ProvisioningGate.open(), linker);
  private final ApplyUserEventService driver = new ApplyUserEventService(cache, linker);
  private final UnlinkIdentityService unlink = new UnlinkIdentityService(accessControl, cache, publisher,
      InstantSource.fixed(NOW), () -> new UUID(2, eventCounter.incrementAndGet()));
  private final ReadUserService readUser = new ReadUserService(accessControl, cache);
  private int driven;

  /** A person signed in at an issuer, with this email as the provider holds it. */
  private String login(String issuer, String subject, String email, boolean verified) {
    Identity identity = new Identity(issuer, subject);
    String token = issuer + "|" + subject + "|" + email + "|" + verified;
    verifier.accept(token, identity);
    profiles.answer(identity, UserProfile.builder().email(email).emailVerified(verified).build());
    return token;
  }

  private CreateUserResult call(String token) {
    return createUser.createUser(new CreateUserCommand(new AccessToken(token)));
  }

  /** The driver applies everything published so far. */
  private void drive() {
    List<UserEvent> events = publisher.published();
    for (; driven < events.size(); driven++) {
      driver.apply(new ApplyUserEventCommand(events.get(driven)));
    }
  }

  private User createdAndStored(String token) {
    CreateUserResult result = call(token);
    assertTrue(result.created());
    drive();
    return result.user();
  }

  @Test
  public void aVerifiedEmailAtTheOtherIssuerJoinsTheExistingUser() {
    User ada = createdAndStored(login(A, "ada-a", "Ada@Example.com", true));

    CreateUserResult second = call(login(B, "ada-b", "ada@example.com", true));

    assertTrue(second.linked());
    assertFalse(second.created());
    assertEquals(ada.id(), second.user().id());
    assertEquals(List.of(new Identity(A, "ada-a"), new Identity(B, "ada-b")), second.user().identities());
    IdentityLinked event = assertInstanceOf(IdentityLinked.class, publisher.published().getLast());
    assertEquals(new Identity(B, "ada-b"), event.identity());
    assertEquals(ada.id(), event.userId());
    assertTrue(event.version() > ada.version());
  }

  @Test
  public void theLinkedIdentityFindsItsUserFromThenOn() {
    User ada = createdAndStored(login(A, "ada-a", "ada@example.com", true));
    String atB = login(B, "ada-b", "ada@example.com", true);
    call(atB);
    drive();
    int published = publisher.published().size();

    CreateUserResult again = call(atB);

    assertFalse(again.created() || again.linked());
    assertEquals(ada.id(), again.user().id());
    assertEquals(published, publisher.published().size(), "a known linked identity publishes nothing");
    assertInstanceOf(UserRecord.Linked.class, cache.read(UserId.of(new Identity(B, "ada-b"))));
    assertEquals(ada.id(), readUser.getUser(new GetUserCommand(new AccessToken(atB), "")).id());
    assertEquals(2, readUser.getUser(new GetUserCommand(new AccessToken(atB), "")).identities().size());
  }

  @Test
  public void anUnverifiedEmailNeverLinks() {
    User ada = createdAndStored(login(A, "ada-a", "ada@example.com", true));

    // The takeover attempt: an account at B claiming Ada's address without proving it.
    CreateUserResult mallory = call(login(B, "mallory", "ada@example.com", false));

    assertTrue(mallory.created());
    assertNotEquals(ada.id(), mallory.user().id());
    assertEquals(UserId.of(new Identity(B, "mallory")), mallory.user().id());
  }

  @Test
  public void anExistingUsersUnverifiedEmailIsNeverLinkedTo() {
    User unverified = createdAndStored(login(A, "ada-a", "ada@example.com", false));

    CreateUserResult atB = call(login(B, "ada-b", "ada@example.com", true));

    assertTrue(atB.created());
    assertNotEquals(unverified.id(), atB.user().id());
  }

  @Test
  public void anIssuerOutsideTheGroupNeverLinks() {
    createdAndStored(login(A, "ada-a", "ada@example.com", true));

    CreateUserResult atC = call(login(C, "ada-c", "ada@example.com", true));

    assertTrue(atC.created());
    assertEquals(UserId.of(new Identity(C, "ada-c")), atC.user().id());
  }

  @Test
  public void anEmailHeldByTwoUsersIsAmbiguousAndLinksNeither() {
    // Two users with one verified email: say, both created before linking was switched on.
    createdAndStored(login(A, "ada-1", "ada@example.com", true));
    User second = User.create(new Identity(B, "ada-2"), UserProfile.builder().email("ada@example.com")
        .emailVerified(true).build(), NOW);
    cache.apply(new UserCreated(UUID.randomUUID(), NOW, second));
    index.index("corporate", "ada@example.com", second.id());
    // A new A identity would be refused for its issuer anyway; a third issuer in the group shows it
    // is the ambiguity that stops it.
    CreateUserResult third = call(login(B, "ada-3", "ada@example.com", true));

    assertTrue(third.created());
    assertEquals(UserId.of(new Identity(B, "ada-3")), third.user().id());
  }

  @Test
  public void aUserWithAnIdentityOfTheLoginsIssuerAlreadyIsNotJoined() {
    createdAndStored(login(A, "ada-a", "ada@example.com", true));

    CreateUserResult otherAccountAtA = call(login(A, "ada-a-2", "ada@example.com", true));

    assertTrue(otherAccountAtA.created());
  }

  @Test
  public void concurrentFirstLoginsThroughBothIssuersEndWithOneUser() {
    String atA = login(A, "ada-a", "ada@example.com", true);
    String atB = login(B, "ada-b", "ada@example.com", true);

    CreateUserResult first = call(atA); // claims the email; not stored yet
    assertThrows(LinkPending.class, () -> call(atB), "the second waits for the first instead of creating");
    assertEquals(1, publisher.published().size());

    drive(); // the first is stored and listed
    CreateUserResult retried = call(atB);

    assertTrue(retried.linked());
    assertEquals(first.user().id(), retried.user().id());
    drive();
    assertEquals(1, cache.size(), "one user, not two");
    assertEquals(2, cache.find(first.user().id()).orElseThrow().identities().size());
  }

  @Test
  public void aRetryOfTheFirstLoginIsNotBlockedByItsOwnClaim() {
    String atA = login(A, "ada-a", "ada@example.com", true);
    call(atA);

    CreateUserResult retry = call(atA);

    assertTrue(retry.created());
  }

  @Test
  public void aListingTheUserNoLongerHoldsIsDroppedAndIgnored() {
    User ada = createdAndStored(login(A, "ada-a", "ada@example.com", true));
    // Ada's email changed at A since she was listed.
    cache.apply(new dev.userfabric.domain.model.UserUpdated(UUID.randomUUID(), NOW,
        ada.withProfile(UserProfile.builder().email("ada@new.example.com").emailVerified(true).build(), NOW,
            ada.version() + 1), Set.of("email")));

    CreateUserResult atB = call(login(B, "ada-b", "ada@example.com", true));

    assertTrue(atB.created());
    assertFalse(index.owners("corporate", "ada@example.com").contains(ada.id().toString()));
  }

  @Test
  public void anUnlinkedIdentityComesBackAsAUserOfItsOwn() {
    User ada = createdAndStored(login(A, "ada-a", "ada@example.com", true));
    String atB = login(B, "ada-b", "ada@example.com", true);
    call(atB);
    drive();

    User unlinked = unlink.unlinkIdentity(new UnlinkIdentityCommand(new AccessToken("admin"), ada.id().toString(), B,
        "ada-b"));
    drive();

    assertEquals(List.of(new Identity(A, "ada-a")), unlinked.identities());
    assertInstanceOf(IdentityUnlinked.class, publisher.published().getLast());
    CreateUserResult own = call(atB);
    assertTrue(own.created(), "never silently linked again");
    assertEquals(UserId.of(new Identity(B, "ada-b")), own.user().id());
    drive();
    assertEquals(2, cache.size());
  }

  @Test
  public void onlyALinkedIdentityCanBeUnlinked() {
    User ada = createdAndStored(login(A, "ada-a", "ada@example.com", true));

    assertThrows(InvalidUserData.class, () -> unlink.unlinkIdentity(
        new UnlinkIdentityCommand(new AccessToken("admin"), ada.id().toString(), A, "ada-a")));
    assertThrows(InvalidUserData.class, () -> unlink.unlinkIdentity(
        new UnlinkIdentityCommand(new AccessToken("admin"), ada.id().toString(), B, "nobody")));
    assertThrows(dev.userfabric.domain.model.AccessDenied.class, () -> unlink.unlinkIdentity(
        new UnlinkIdentityCommand(new AccessToken(login(A, "x", "x@example.com", true)), ada.id().toString(), B, "b")));
  }

  @Test
  public void theIdOfAFirstIdentityStaysDerivedFromIt() {
    User ada = createdAndStored(login(A, "ada-a", "ada@example.com", true));

    assertEquals(UserId.of(new Identity(A, "ada-a")), ada.id());
  }

  @Test
  public void withLinkingOffNothingIsClaimedOrIndexed() {
    IdentityLinker off = IdentityLinker.off(cache);
    CreateUserService plain = new CreateUserService(accessControl, cache, profiles, publisher, InstantSource.fixed(NOW),
        UUID::randomUUID, Optional.empty(), ProvisioningGate.open(), off);
    plain.createUser(new CreateUserCommand(new AccessToken(login(A, "ada-a", "ada@example.com", true))));
    new ApplyUserEventService(cache, off).apply(new ApplyUserEventCommand(publisher.published().getLast()));

    assertTrue(plain.createUser(new CreateUserCommand(new AccessToken(login(B, "ada-b", "ada@example.com", true))))
        .created());
    assertEquals(Set.of(), index.owners("corporate", "ada@example.com"));
  }

  @Test
  public void revokingOrErasingAUserRevokesTheTokensOfEveryLinkedIdentity() {
    User ada = createdAndStored(login(A, "ada-a", "ada@example.com", true));
    String atB = login(B, "ada-b", "ada@example.com", true);
    call(atB);
    drive();
    TokenRevocationService tokens = new TokenRevocationService(accessControl, revocations, InstantSource.fixed(NOW),
        Optional.of(cache));

    tokens.revokeUserTokens(new dev.userfabric.domain.port.in.RevokeUserTokensCommand(new AccessToken("admin"),
        ada.id().toString()));

    assertThrows(dev.userfabric.domain.model.InvalidAccessToken.class, () -> call(atB));
  }

  @Test
  public void erasingAUserRevokesTheTokensOfEveryLinkedIdentity() {
    User ada = createdAndStored(login(A, "ada-a", "ada@example.com", true));
    String atB = login(B, "ada-b", "ada@example.com", true);
    call(atB);
    drive();
    DeleteUserService erase = new DeleteUserService(accessControl, cache, publisher, revocations,
        InstantSource.fixed(NOW), UUID::randomUUID);

    erase.deleteUser(new dev.userfabric.domain.port.in.DeleteUserCommand(new AccessToken("admin"), ada.id().toString()));

    assertThrows(dev.userfabric.domain.model.InvalidAccessToken.class, () -> call(atB));
  }

  @Test
  public void theDryRunOfALinkedIdentityUsesItsUsersStoredProfile() {
    createdAndStored(login(A, "ada-a", "ada@example.com", true));
    String atB = login(B, "ada-b", "ada@example.com", true);
    call(atB);
    drive();
    EvaluatePolicyService dryRun = new EvaluatePolicyService(accessControl, cache, profiles, ProvisioningGate.open());

    var answer = dryRun.evaluatePolicy(new dev.userfabric.domain.port.in.EvaluatePolicyCommand(new AccessToken("admin"),
        new AccessToken(atB), Optional.empty()));

    assertTrue(answer.evaluation().knownUser());
    assertEquals(dev.userfabric.domain.port.in.PolicyDryRun.ProfileSource.STORED, answer.profileSource());
  }
}
