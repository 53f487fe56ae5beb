package dev.userfabric.adapter.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.userfabric.domain.model.AccessToken;
import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.model.IdentityProviderUnavailable;
import dev.userfabric.domain.model.InvalidAccessToken;
import dev.userfabric.domain.model.UserProfile;
import dev.userfabric.domain.model.UserProfileUnavailable;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OidcUserInfoClientTest {

  private TestOidcProvider idp;
  private OidcUserInfoClient client;
  private Identity ada;
  private AccessToken token;

  @BeforeEach
  void start() throws Exception {
    idp = new TestOidcProvider();
    OAuthSettings settings = new OAuthSettings(URI.create(idp.issuer()), TestOidcProvider.AUDIENCE,
        OAuthSettings.DEFAULT_ALGORITHMS, OAuthSettings.DEFAULT_TOKEN_TYPES,
        Duration.ofSeconds(30), Duration.ofMillis(500), Duration.ofMinutes(5));
    client = new OidcUserInfoClient(new OidcDiscovery(settings), settings);
    ada = new Identity(idp.issuer(), "ada");
    token = new AccessToken(idp.validToken());
  }

  @AfterEach
  void stop() {
    idp.close();
  }

  @Test
  public void readsEveryStandardClaim() {
    UserProfile expected = UserProfile.builder()
        .email("ada@example.test").emailVerified(true).name("Ada Lovelace")
        .givenName("Ada").familyName("Lovelace").locale("en-GB")
        .phoneNumber("+44 20 7946 0000").phoneNumberVerified(true)
        .build();

    assertEquals(expected, client.fetchProfile(token, ada));
  }

  @Test
  public void refusesAProfileOfAnotherSubject() {
    idp.userinfoBody = "{\"sub\":\"eve\",\"email\":\"eve@example.test\"}";

    assertThrows(UserProfileUnavailable.class, () -> client.fetchProfile(token, ada));
  }

  @Test
  public void refusesAProfileWithoutSubject() {
    idp.userinfoBody = "{\"email\":\"ada@example.test\"}";

    assertThrows(UserProfileUnavailable.class, () -> client.fetchProfile(token, ada));
  }

  @Test
  public void refusesAnAnswerThatIsNotJson() {
    idp.userinfoBody = "<html>hello</html>";

    assertThrows(UserProfileUnavailable.class, () -> client.fetchProfile(token, ada));
  }

  @Test
  public void refusesAnOversizedAnswer() {
    idp.userinfoBody = "{\"sub\":\"ada\",\"name\":\"" + "x".repeat(100_000) + "\"}";

    assertThrows(UserProfileUnavailable.class, () -> client.fetchProfile(token, ada));
  }

  @Test
  public void treatsARefusedTokenAsInvalid() {
    idp.userinfoStatus = 401;

    assertThrows(InvalidAccessToken.class, () -> client.fetchProfile(token, ada));
  }

  @Test
  public void treatsAServerErrorAsTheProviderBeingUnavailable() {
    idp.userinfoStatus = 502;

    assertThrows(IdentityProviderUnavailable.class, () -> client.fetchProfile(token, ada));
  }

  @Test
  public void givesUpOnASlowProviderWithinTheTimeout() {
    idp.userinfoDelayMillis = 3_000;
    long started = System.nanoTime();

    assertThrows(IdentityProviderUnavailable.class, () -> client.fetchProfile(token, ada));
    assertEquals(true, Duration.ofNanos(System.nanoTime() - started).toMillis() < 2_500);
  }
}
