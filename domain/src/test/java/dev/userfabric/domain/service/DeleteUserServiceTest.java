package dev.userfabric.domain.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userfabric.domain.model.AccessDenied;
import dev.userfabric.domain.model.AccessToken;
import dev.userfabric.domain.model.EventPublishFailed;
import dev.userfabric.domain.model.InvalidUserData;
import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserDeleted;
import dev.userfabric.domain.model.UserNotFound;
import dev.userfabric.domain.model.UserVersion;
import dev.userfabric.domain.model.VerifiedAccessToken;
import dev.userfabric.domain.port.in.DeleteUserCommand;
import dev.userfabric.domain.port.in.DeleteUserResult;
import dev.userfabric.domain.testing.FixedAccessTokenVerifier;
import dev.userfabric.domain.testing.InMemoryRevocationList;
import dev.userfabric.domain.testing.InMemoryUserCache;
import dev.userfabric.domain.testing.RecordingUserEventPublisher;
import dev.userfabric.domain.testing.Tokens;
import dev.userfabric.domain.testing.Users;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DeleteUserServiceTest {

  private static final Instant NOW = Tokens.ISSUED_AT.plusSeconds(60);
  private static final UUID EVENT_ID = UUID.fromString("7b6f1e9c-2f43-4a4e-9d0e-4a1c3b2d1e0f");

  private final User ada = Users.fullUser("ada");
  private final User bob = Users.fullUser("bob");
  private final VerifiedAccessToken adasToken = Tokens.personal(ada.identity(), "ada-jti");
  private final FixedAccessTokenVerifier verifier = new FixedAccessTokenVerifier()
      .accept("ada", adasToken)
      .accept("admin", Tokens.client(Users.identity("ops"), "ops-jti", "userfabric:admin"));
  private final InMemoryRevocationList revocations = new InMemoryRevocationList();
  private final InMemoryUserCache cache = new InMemoryUserCache();
  private final RecordingUserEventPublisher publisher = new RecordingUserEventPublisher();
  private final DeleteUserService service = new DeleteUserService(
      new AccessControl(verifier, revocations, new AccessPolicy(Optional.empty(), "userfabric:admin")),
      cache, publisher, revocations, InstantSource.fixed(NOW), () -> EVENT_ID);

  DeleteUserServiceTest() {
    cache.preload(ada);
    cache.preload(bob);
  }

  @Test
  public void erasesTheCallersOwnUserAndRevokesTheirTokens() {
    DeleteUserResult result = service.deleteUser(new DeleteUserCommand(new AccessToken("ada"), ""));

    UserDeleted expected = new UserDeleted(EVENT_ID, NOW, ada.identity(), UserVersion.after(ada.version(), NOW));
    assertEquals(expected, result.event());
    assertEquals(List.of(expected), publisher.published());
    assertEquals(NOW, result.tokensRevokedBefore());
    assertTrue(revocations.isRevoked(adasToken), "a token issued before the erasure");
    assertFalse(revocations.isRevoked(Tokens.issuedAt(NOW.plusSeconds(1), ada.identity(), "later")),
        "a later login's token");
  }

  @Test
  public void letsAnAdministratorEraseAnyUser() {
    DeleteUserResult result = service.deleteUser(new DeleteUserCommand(new AccessToken("admin"), bob.id().toString()));

    assertEquals(bob.id(), result.event().userId());
  }

  @Test
  public void refusesToEraseAnotherUserWithoutTheAdminScope() {
    AccessDenied refused = assertThrows(AccessDenied.class,
        () -> service.deleteUser(new DeleteUserCommand(new AccessToken("ada"), bob.id().toString())));

    assertEquals(AccessDenied.Reason.INSUFFICIENT_SCOPE, refused.reason());
    assertTrue(publisher.published().isEmpty());
  }

  @Test
  public void answersNotFoundForAUserNotStoredAndPublishesNothing() {
    assertThrows(UserNotFound.class, () -> service.deleteUser(
        new DeleteUserCommand(new AccessToken("admin"), Users.fullUser("nobody").id().toString())));

    assertTrue(publisher.published().isEmpty());
  }

  @Test
  public void refusesAMalformedId() {
    assertThrows(InvalidUserData.class,
        () -> service.deleteUser(new DeleteUserCommand(new AccessToken("admin"), "nope")));
  }

  @Test
  public void revokesNothingWhenTheErasureIsNotConfirmed() {
    publisher.goDown();

    assertThrows(EventPublishFailed.class, () -> service.deleteUser(new DeleteUserCommand(new AccessToken("ada"), "")));

    assertFalse(revocations.isRevoked(adasToken), "the user can still try again");
  }
}
