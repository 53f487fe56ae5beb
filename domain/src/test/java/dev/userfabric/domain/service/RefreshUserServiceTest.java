package dev.userfabric.domain.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userfabric.domain.model.AccessToken;
import dev.userfabric.domain.model.EventPublishFailed;
import dev.userfabric.domain.model.IdentityProviderUnavailable;
import dev.userfabric.domain.model.InvalidAccessToken;
import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserNotFound;
import dev.userfabric.domain.model.UserProfile;
import dev.userfabric.domain.model.UserUpdated;
import dev.userfabric.domain.model.UserVersion;
import dev.userfabric.domain.port.in.RefreshUserCommand;
import dev.userfabric.domain.port.in.RefreshUserResult;
import dev.userfabric.domain.testing.FixedAccessTokenVerifier;
import dev.userfabric.domain.testing.InMemoryRevocationList;
import dev.userfabric.domain.testing.InMemoryUserCache;
import dev.userfabric.domain.testing.RecordingUserEventPublisher;
import dev.userfabric.domain.testing.StubUserProfileProvider;
import dev.userfabric.domain.testing.Users;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RefreshUserServiceTest {

  private static final Instant NOW = Instant.parse("2026-11-25T08:00:00Z");
  private static final UUID EVENT_ID = UUID.fromString("5b6f1e9c-2f43-4a4e-9d0e-4a1c3b2d1e0f");
  private static final RefreshUserCommand ADAS_CALL = new RefreshUserCommand(new AccessToken("ada-token"));

  private final User ada = Users.fullUser("ada");
  private final FixedAccessTokenVerifier verifier = new FixedAccessTokenVerifier().accept("ada-token", ada.identity());
  private final InMemoryRevocationList revocations = new InMemoryRevocationList();
  private final InMemoryUserCache cache = new InMemoryUserCache();
  private final StubUserProfileProvider profiles = new StubUserProfileProvider();
  private final RecordingUserEventPublisher publisher = new RecordingUserEventPublisher();
  private final RefreshUserService service = new RefreshUserService(
      new AccessControl(verifier, revocations, new AccessPolicy(Optional.empty(), "userfabric:admin")),
      cache, profiles, publisher, InstantSource.fixed(NOW), () -> EVENT_ID);

  @Test
  public void publishesTheNewProfileAndWhatChanged() {
    cache.preload(ada);
    UserProfile changed = UserProfile.builder().email("ada@new.example.test").emailVerified(true)
        .name(ada.profile().name().orElseThrow()).build();
    profiles.answer(ada.identity(), changed);

    RefreshUserResult result = service.refreshUser(ADAS_CALL);

    User expected = new User(ada.id(), ada.identity(), changed, ada.createdAt(), NOW, UserVersion.of(NOW));
    assertEquals(expected, result.user());
    assertTrue(result.changed());
    Set<String> fields = Set.of("email", "given_name", "family_name", "picture", "locale", "phone_number",
        "phone_number_verified");
    assertEquals(fields, result.changedFields());
    assertEquals(List.of(new UserUpdated(EVENT_ID, NOW, expected, fields)), publisher.published());
  }

  @Test
  public void publishesNothingWhenTheProfileIsUnchanged() {
    cache.preload(ada);
    profiles.answer(ada.identity(), ada.profile());

    RefreshUserResult result = service.refreshUser(ADAS_CALL);

    assertFalse(result.changed());
    assertEquals(ada, result.user());
    assertTrue(publisher.published().isEmpty());
  }

  @Test
  public void drawsAVersionAboveTheStoredOneEvenWhenTheClockIsBehind() {
    User fromTheFuture = Users.user(Users.ISSUER, "ada", "old@example.test", UserVersion.of(NOW) + 1000);
    cache.preload(fromTheFuture);
    profiles.answer(ada.identity(), UserProfile.builder().email("new@example.test").build());

    RefreshUserResult result = service.refreshUser(ADAS_CALL);

    assertEquals(fromTheFuture.version() + 1, result.user().version());
  }

  @Test
  public void neverCreatesAUserThatIsNotStored() {
    profiles.answer(ada.identity(), ada.profile());

    assertThrows(UserNotFound.class, () -> service.refreshUser(ADAS_CALL));

    assertEquals(0, profiles.requests());
    assertTrue(publisher.published().isEmpty());
  }

  @Test
  public void refusesAnInvalidTokenTouchingNothing() {
    assertThrows(InvalidAccessToken.class, () -> service.refreshUser(new RefreshUserCommand(new AccessToken("x"))));

    assertEquals(0, cache.reads());
    assertEquals(0, profiles.requests());
  }

  @Test
  public void failsWithoutPublishingWhenTheProviderIsDown() {
    cache.preload(ada);
    profiles.goDown();

    assertThrows(IdentityProviderUnavailable.class, () -> service.refreshUser(ADAS_CALL));
    assertTrue(publisher.published().isEmpty());
  }

  @Test
  public void reportsAnUnconfirmedUpdateAsAFailure() {
    cache.preload(ada);
    profiles.answer(ada.identity(), UserProfile.EMPTY);
    publisher.goDown();

    assertThrows(EventPublishFailed.class, () -> service.refreshUser(ADAS_CALL));
  }
}
