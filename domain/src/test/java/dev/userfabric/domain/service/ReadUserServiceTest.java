package dev.userfabric.domain.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.userfabric.domain.model.AccessDenied;
import dev.userfabric.domain.model.AccessToken;
import dev.userfabric.domain.model.CacheUnavailable;
import dev.userfabric.domain.model.InvalidAccessToken;
import dev.userfabric.domain.model.InvalidUserData;
import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserNotFound;
import dev.userfabric.domain.port.in.GetUserCommand;
import dev.userfabric.domain.port.in.ListUsersCommand;
import dev.userfabric.domain.port.in.LookupUserCommand;
import dev.userfabric.domain.port.out.UserPage;
import dev.userfabric.domain.testing.FixedAccessTokenVerifier;
import dev.userfabric.domain.testing.InMemoryRevocationList;
import dev.userfabric.domain.testing.InMemoryUserCache;
import dev.userfabric.domain.testing.Tokens;
import dev.userfabric.domain.testing.Users;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReadUserServiceTest {

  private static final AccessToken ADA = new AccessToken("ada");
  private static final AccessToken READER = new AccessToken("reader");
  private static final AccessToken READER_CLIENT = new AccessToken("reader-client");
  private static final AccessToken PLAIN_CLIENT = new AccessToken("client");

  private final User ada = Users.fullUser("ada");
  private final User bob = Users.fullUser("bob");
  private final FixedAccessTokenVerifier verifier = new FixedAccessTokenVerifier()
      .accept("ada", Tokens.personal(ada.identity(), "ada-jti"))
      .accept("reader", Tokens.personal(Users.identity("carol"), "carol-jti", "users:read"))
      .accept("reader-client", Tokens.client(Users.identity("reporting"), "rep-jti", "users:read"))
      .accept("client", Tokens.client(Users.identity("some-client"), "cl-jti"));
  private final InMemoryRevocationList revocations = new InMemoryRevocationList();
  private final InMemoryUserCache cache = new InMemoryUserCache();
  private final ReadUserService service = new ReadUserService(new AccessControl(verifier, revocations,
      new AccessPolicy(Optional.empty(), "userfabric:admin", "users:read")), cache);

  ReadUserServiceTest() {
    cache.preload(ada);
    cache.preload(bob);
  }

  @Test
  public void readsTheCallersOwnUserWhenNoIdIsGiven() {
    assertEquals(ada, service.getUser(new GetUserCommand(ADA, "")));
  }

  @Test
  public void readsTheCallersOwnUserByIdWithoutTheReadScope() {
    assertEquals(ada, service.getUser(new GetUserCommand(ADA, ada.id().toString())));
  }

  @Test
  public void refusesAnotherUserWithoutTheReadScope() {
    AccessDenied refused = assertThrows(AccessDenied.class,
        () -> service.getUser(new GetUserCommand(ADA, bob.id().toString())));

    assertEquals(AccessDenied.Reason.INSUFFICIENT_SCOPE, refused.reason());
  }

  @Test
  public void refusesWithoutTheScopeBeforeReadingTheIdText() {
    AccessDenied refused = assertThrows(AccessDenied.class,
        () -> service.getUser(new GetUserCommand(ADA, "not-a-uuid")));

    assertEquals(AccessDenied.Reason.INSUFFICIENT_SCOPE, refused.reason());
  }

  @Test
  public void readsAnyUserWithTheReadScopeEvenAsAClient() {
    assertEquals(bob, service.getUser(new GetUserCommand(READER, bob.id().toString())));
    assertEquals(bob, service.getUser(new GetUserCommand(READER_CLIENT, bob.id().toString())));
  }

  @Test
  public void aClientHasNoOwnUser() {
    AccessDenied refused = assertThrows(AccessDenied.class,
        () -> service.getUser(new GetUserCommand(PLAIN_CLIENT, "")));

    assertEquals(AccessDenied.Reason.NOT_A_USER_TOKEN, refused.reason());
  }

  @Test
  public void answersNotFoundForAUserNeverStored() {
    assertThrows(UserNotFound.class,
        () -> service.getUser(new GetUserCommand(READER, Users.fullUser("nobody").id().toString())));
  }

  @Test
  public void answersNotFoundForAnErasedUser() {
    cache.apply(Users.deleted(bob, bob.version() + 1));

    assertThrows(UserNotFound.class, () -> service.getUser(new GetUserCommand(READER, bob.id().toString())));
  }

  @Test
  public void refusesAMalformedIdOfAReader() {
    assertThrows(InvalidUserData.class, () -> service.getUser(new GetUserCommand(READER, "not-a-uuid")));
  }

  @Test
  public void refusesARevokedTokenBeforeReading() {
    revocations.revoke(verifier.verify(ADA));

    assertThrows(InvalidAccessToken.class, () -> service.getUser(new GetUserCommand(ADA, "")));
    assertEquals(0, cache.reads());
  }

  @Test
  public void failsWhenTheStoreIsDown() {
    cache.goDown();

    assertThrows(CacheUnavailable.class, () -> service.getUser(new GetUserCommand(ADA, "")));
  }

  @Test
  public void looksAUserUpByIdentityWithTheReadScope() {
    assertEquals(bob, service.lookupUser(new LookupUserCommand(READER, Users.ISSUER, "bob")));
  }

  @Test
  public void refusesALookupWithoutTheReadScope() {
    assertThrows(AccessDenied.class, () -> service.lookupUser(new LookupUserCommand(ADA, Users.ISSUER, "ada")));
  }

  @Test
  public void refusesALookupWithoutAnIssuerOrSubject() {
    assertThrows(InvalidUserData.class, () -> service.lookupUser(new LookupUserCommand(READER, "", "bob")));
    assertThrows(InvalidUserData.class, () -> service.lookupUser(new LookupUserCommand(READER, Users.ISSUER, "")));
  }

  @Test
  public void answersNotFoundForAnUnknownIdentity() {
    assertThrows(UserNotFound.class,
        () -> service.lookupUser(new LookupUserCommand(READER, Users.ISSUER, "nobody")));
  }

  @Test
  public void listsPageByPageWithTheReadScope() {
    UserPage first = service.listUsers(new ListUsersCommand(READER, 1, Optional.empty(), Optional.empty()));
    UserPage second = service.listUsers(new ListUsersCommand(READER, 1,
        first.next().map(Object::toString), Optional.of(Users.ISSUER)));

    assertEquals(1, first.users().size());
    assertEquals(1, second.users().size());
    assertEquals(java.util.Set.of(ada, bob), java.util.Set.of(first.users().get(0), second.users().get(0)));
  }

  @Test
  public void listsAHundredByDefaultAndAtMostAThousand() {
    for (int i = 0; i < 1100; i++) {
      cache.preload(Users.bareUser("many-" + i));
    }

    assertEquals(100, service.listUsers(new ListUsersCommand(READER, 0, Optional.empty(), Optional.empty()))
        .users().size());
    assertEquals(1000, service.listUsers(new ListUsersCommand(READER, 5000, Optional.empty(), Optional.empty()))
        .users().size());
  }

  @Test
  public void refusesANegativePageSizeAndABadCursor() {
    assertThrows(InvalidUserData.class,
        () -> service.listUsers(new ListUsersCommand(READER, -1, Optional.empty(), Optional.empty())));
    assertThrows(InvalidUserData.class,
        () -> service.listUsers(new ListUsersCommand(READER, 10, Optional.of("garbage"), Optional.empty())));
  }

  @Test
  public void refusesAListingWithoutTheReadScope() {
    assertThrows(AccessDenied.class,
        () -> service.listUsers(new ListUsersCommand(ADA, 10, Optional.empty(), Optional.empty())));
    assertEquals(0, cache.reads());
  }
}
