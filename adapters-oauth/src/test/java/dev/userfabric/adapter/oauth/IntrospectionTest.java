package dev.userfabric.adapter.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.userfabric.adapter.oauth.testing.TestIdentityProvider;
import dev.userfabric.domain.model.AccessToken;
import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.model.IdentityProviderUnavailable;
import dev.userfabric.domain.model.InvalidAccessToken;
import dev.userfabric.domain.model.VerifiedAccessToken;
import dev.userfabric.domain.model.VerifiedAccessToken.Bearer;
import dev.userfabric.domain.port.out.AccessTokenVerifier;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IntrospectionTest {

  private TestIdentityProvider idp;
  private AccessTokenVerifier verifier;

  @BeforeEach
  void start() throws Exception {
    idp = new TestIdentityProvider();
    verifier = new TrustedIssuers(List.of(idp.opaqueSettings().build())).accessTokenVerifier();
  }

  @AfterEach
  void stop() {
    idp.close();
  }

  private VerifiedAccessToken verify(String token) {
    return verifier.verify(new AccessToken(token));
  }

  @Test
  public void acceptsAnActiveTokenAsTheProviderDescribesIt() {
    String token = idp.issueOpaqueToken("ada", Duration.ofMinutes(5), Map.of("jti", "opaque-jti-1"));

    VerifiedAccessToken verified = verify(token);

    assertEquals(new Identity(idp.issuer(), "ada"), verified.identity());
    assertEquals("opaque-jti-1", verified.tokenId());
    assertEquals(Set.of("openid", "profile"), verified.scopes());
    assertEquals(Bearer.PERSON, verified.bearer());
  }

  @Test
  public void refusesATokenTheProviderCallsInactive() {
    assertThrows(InvalidAccessToken.class, () -> verify("opaque-never-issued"));
  }

  @Test
  public void reusesAnAnswerUntilTheCacheLifetimeEnds() {
    String token = idp.issueOpaqueToken("ada", Duration.ofMinutes(5), Map.of());

    verify(token);
    verify(token);

    assertEquals(1, idp.introspectionRequests.get());
  }

  @Test
  public void neverReusesAnAnswerPastTheTokensExpiry() throws Exception {
    String token = idp.issueOpaqueToken("ada", Duration.ofSeconds(1), Map.of());
    verifier = new TrustedIssuers(List.of(idp.opaqueSettings().clockSkew(Duration.ZERO).build())).accessTokenVerifier();
    verify(token);

    Thread.sleep(2100);

    InvalidAccessToken refused = assertThrows(InvalidAccessToken.class, () -> verify(token));
    assertEquals(InvalidAccessToken.Reason.EXPIRED, refused.reason());
  }

  @Test
  public void checksWhatTheProviderSays() {
    String otherAudience = idp.issueOpaqueToken("ada", Duration.ofMinutes(5), Map.of("aud", "someone-else"));
    String otherIssuer = idp.issueOpaqueToken("ada", Duration.ofMinutes(5), Map.of("iss", "https://evil.example.test"));

    assertThrows(InvalidAccessToken.class, () -> verify(otherAudience));
    assertThrows(InvalidAccessToken.class, () -> verify(otherIssuer));
  }

  @Test
  public void reportsTheProviderUnavailableWhenIntrospectionFails() {
    idp.introspectionStatus = 503;

    assertThrows(IdentityProviderUnavailable.class,
        () -> verify(idp.issueOpaqueToken("ada", Duration.ofMinutes(5), Map.of())));
  }

  @Test
  public void refusesOpaqueTokensWhenNoIssuerIsConfiguredForThem() {
    AccessTokenVerifier jwtOnly = new TrustedIssuers(List.of(idp.settings().build())).accessTokenVerifier();

    assertThrows(InvalidAccessToken.class,
        () -> jwtOnly.verify(new AccessToken(idp.issueOpaqueToken("ada", Duration.ofMinutes(5), Map.of()))));
    assertEquals(0, idp.introspectionRequests.get());
  }
}
