package dev.userfabric.adapter.oauth;

import static dev.userfabric.testing.faults.Elapsed.assertFailsWithin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userfabric.adapter.oauth.testing.TestIdentityProvider;
import dev.userfabric.testing.faults.Elapsed;
import dev.userfabric.domain.model.AccessDenied;
import dev.userfabric.domain.model.AccessToken;
import dev.userfabric.domain.model.IdentityProviderUnavailable;
import dev.userfabric.domain.model.InvalidAccessToken;
import dev.userfabric.domain.model.UserProfile;
import dev.userfabric.domain.model.UserProfileUnavailable;
import dev.userfabric.domain.model.VerifiedAccessToken;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UserProfilesTest {

  private TestIdentityProvider idp;
  private TrustedIssuers issuers;

  @BeforeEach
  void start() throws Exception {
    idp = new TestIdentityProvider();
    trust(idp.settings().profileCacheTtl(Duration.ZERO).build());
  }

  @AfterEach
  void stop() {
    idp.close();
  }

  private void trust(IssuerSettings settings) {
    issuers = new TrustedIssuers(List.of(settings));
  }

  private UserProfile profileFor(String token) {
    AccessToken accessToken = new AccessToken(token);
    VerifiedAccessToken verified = issuers.accessTokenVerifier().verify(accessToken);
    return issuers.userProfileProvider().fetchProfile(accessToken, verified);
  }

  @Test
  public void readsEveryStandardClaim() {
    UserProfile profile = profileFor(idp.validToken());

    assertEquals(Optional.of("ada@example.test"), profile.email());
    assertTrue(profile.emailVerified());
    assertEquals(Optional.of("ada Lovelace"), profile.name());
    assertEquals(Optional.of("en-GB"), profile.locale());
    assertTrue(profile.phoneNumberVerified(), "\"true\" as a string counts");
  }

  @Test
  public void refusesTheTokenWhenUserinfoAnswersForAnotherSubject() {
    idp.userinfoBody = "{\"sub\":\"eve\",\"email\":\"eve@example.test\"}";

    assertThrows(InvalidAccessToken.class, () -> profileFor(idp.validToken()));
  }

  @Test
  public void takesAnAnswerWithoutSubjectForTheProvidersFault() {
    idp.userinfoBody = "{\"email\":\"eve@example.test\"}";

    assertThrows(UserProfileUnavailable.class, () -> profileFor(idp.validToken()));
  }

  @Test
  public void refusesAnAnswerThatIsNotAProfile() {
    idp.userinfoBody = "<html>login</html>";
    assertThrows(UserProfileUnavailable.class, () -> profileFor(idp.validToken()));

    idp.userinfoBody = "{\"sub\":\"ada\",\"padding\":\"" + "x".repeat(OidcUserInfoClient.MAX_RESPONSE_BYTES) + "\"}";
    assertThrows(UserProfileUnavailable.class, () -> profileFor(idp.validToken()));
  }

  @Test
  public void readsAChunkedAnswerUpToTheBoundToo() {
    idp.userinfoChunked = true;
    assertEquals(Optional.of("ada Lovelace"), profileFor(idp.validToken()).name());

    idp.userinfoBody = "{\"sub\":\"ada\",\"padding\":\"" + "x".repeat(OidcUserInfoClient.MAX_RESPONSE_BYTES) + "\"}";
    UserProfileUnavailable refused = assertThrows(UserProfileUnavailable.class, () -> profileFor(idp.validToken()));
    assertEquals("userinfo response is too large", refused.getMessage());
  }

  @Test
  public void mapsTheProvidersRefusals() {
    idp.userinfoStatus = 401;
    assertThrows(InvalidAccessToken.class, () -> profileFor(idp.validToken()));

    idp.userinfoStatus = 403;
    AccessDenied denied = assertThrows(AccessDenied.class, () -> profileFor(idp.validToken()));
    assertEquals(AccessDenied.Reason.REFUSED_BY_IDENTITY_PROVIDER, denied.reason());

    idp.userinfoStatus = 500;
    assertThrows(IdentityProviderUnavailable.class, () -> profileFor(idp.validToken()));
  }

  @Test
  public void followsNoRedirect() {
    idp.userinfoStatus = 302;

    assertThrows(IdentityProviderUnavailable.class, () -> profileFor(idp.validToken()));
    assertEquals(1, idp.userinfoRequests.get());
  }

  @Test
  public void honoursRetryAfterAndPassesItOn() {
    idp.userinfoStatus = 429;
    idp.userinfoRetryAfter = "7";

    IdentityProviderUnavailable first = assertThrows(IdentityProviderUnavailable.class, () -> profileFor(idp.validToken()));
    idp.userinfoStatus = 200;
    IdentityProviderUnavailable second = assertThrows(IdentityProviderUnavailable.class, () -> profileFor(idp.validToken()));

    assertEquals(Optional.of(Duration.ofSeconds(7)), first.retryAfter());
    assertTrue(second.retryAfter().orElseThrow().compareTo(Duration.ofSeconds(7)) <= 0);
    assertEquals(1, idp.userinfoRequests.get(), "left alone until the time it named");
  }

  @Test
  public void readsRetryAfterAsSecondsOrADateAndCapsIt() {
    java.time.Instant now = java.time.Instant.parse("2026-11-21T10:00:00Z");
    assertEquals(Optional.of(Duration.ofSeconds(120)), OidcUserInfoClient.retryAfter("120", now));
    assertEquals(Optional.of(Duration.ofSeconds(30)), OidcUserInfoClient.retryAfter("Sat, 21 Nov 2026 10:00:30 GMT", now));
    assertEquals(Optional.of(OidcUserInfoClient.MAX_RETRY_AFTER), OidcUserInfoClient.retryAfter("86400", now));
    assertEquals(Optional.empty(), OidcUserInfoClient.retryAfter("soon", now));
  }

  @Test
  public void givesUpOnASlowProviderWithinTheTimeout() {
    trust(idp.settings().httpTimeout(Duration.ofMillis(300)).build());
    String token = idp.validToken();
    issuers.accessTokenVerifier().verify(new AccessToken(token)); // keys fetched before the clock starts
    idp.userinfoDelayMillis = 3 * Elapsed.MARGIN.toMillis();

    assertFailsWithin(IdentityProviderUnavailable.class, Duration.ofMillis(300), () -> profileFor(token));
  }

  @Test
  public void concurrentFirstCallsForOnePersonShareOneRequest() throws Exception {
    String token = idp.validToken();
    profileFor(idp.tokenFor("warm-up")); // keys and discovery fetched
    idp.userinfoRequests.set(0);
    idp.userinfoDelayMillis = 300;

    ExecutorService callers = Executors.newFixedThreadPool(8);
    try {
      List<Future<UserProfile>> calls = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        calls.add(callers.submit(() -> profileFor(token)));
      }
      for (Future<UserProfile> call : calls) {
        assertEquals(Optional.of("ada@example.test"), call.get().email());
      }
    } finally {
      callers.shutdownNow();
    }
    assertEquals(1, idp.userinfoRequests.get());
  }

  @Test
  public void reusesAFetchedProfileForAShortWhile() {
    trust(idp.settings().profileCacheTtl(Duration.ofSeconds(30)).build());

    profileFor(idp.validToken());
    profileFor(idp.validToken());
    profileFor(idp.tokenFor("bob"));

    assertEquals(2, idp.userinfoRequests.get());
  }

  @Test
  public void aRefreshAsksTheProviderEvenRightAfterAFetch() {
    trust(idp.settings().profileCacheTtl(Duration.ofSeconds(30)).build());
    AccessToken accessToken = new AccessToken(idp.validToken());
    VerifiedAccessToken verified = issuers.accessTokenVerifier().verify(accessToken);

    issuers.userProfileProvider().fetchProfile(accessToken, verified);
    issuers.userProfileProvider().fetchCurrentProfile(accessToken, verified);
    issuers.userProfileProvider().fetchProfile(accessToken, verified); // the refreshed one is reused

    assertEquals(2, idp.userinfoRequests.get());
  }

  @Test
  public void fallsBackToTheTokensClaimsWhenTheProviderHasNoUserinfo() {
    idp.advertiseUserinfo = false;
    String token = idp.tokenWith(c -> c.claim("email", "ada@tokens.example.test").claim("name", "Ada"));

    UserProfile profile = profileFor(token);

    assertEquals(Optional.of("ada@tokens.example.test"), profile.email());
    assertEquals(Optional.of("Ada"), profile.name());
    assertEquals(0, idp.userinfoRequests.get());
  }

  @Test
  public void usesOnlyTheTokensClaimsWhenConfiguredSo() {
    trust(idp.settings().userinfo(IssuerSettings.ProfileSource.TOKEN_CLAIMS).build());

    assertEquals(Optional.empty(), profileFor(idp.validToken()).email());
    assertEquals(0, idp.userinfoRequests.get());
  }
}
