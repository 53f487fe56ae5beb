package dev.userfabric.adapter.oauth;

import static dev.userfabric.testing.faults.Elapsed.assertFailsWithin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.userfabric.adapter.oauth.testing.AttackTokens;
import dev.userfabric.testing.faults.Elapsed;
import dev.userfabric.adapter.oauth.testing.TestIdentityProvider;
import dev.userfabric.domain.model.AccessToken;
import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.model.IdentityProviderUnavailable;
import dev.userfabric.domain.model.InvalidAccessToken;
import dev.userfabric.domain.model.VerifiedAccessToken;
import dev.userfabric.domain.model.VerifiedAccessToken.Bearer;
import dev.userfabric.domain.port.out.AccessTokenVerifier;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AccessTokenVerificationTest {

  private TestIdentityProvider idp;
  private AccessTokenVerifier verifier;

  @BeforeEach
  void start() throws Exception {
    idp = new TestIdentityProvider();
    verifier = verifierFor(idp.settings().build());
  }

  @AfterEach
  void stop() {
    idp.close();
  }

  private static AccessTokenVerifier verifierFor(IssuerSettings... issuers) {
    return new TrustedIssuers(List.of(issuers)).accessTokenVerifier();
  }

  private VerifiedAccessToken verify(String token) {
    return verifier.verify(new AccessToken(token));
  }

  @Test
  public void acceptsAValidTokenAndReadsWhatItSays() {
    JWTClaimsSet claims = idp.validClaims().claim("scope", "openid users:create").build();
    VerifiedAccessToken token = verify(idp.sign(idp.key, idp.validHeader(), new JWTClaimsSet.Builder(claims)));

    assertEquals(new Identity(idp.issuer(), "ada"), token.identity());
    assertEquals(claims.getJWTID(), token.tokenId());
    assertEquals(claims.getIssueTime().toInstant().truncatedTo(ChronoUnit.SECONDS), token.issuedAt());
    assertEquals(claims.getExpirationTime().toInstant().truncatedTo(ChronoUnit.SECONDS), token.expiresAt());
    assertEquals(Set.of("openid", "users:create"), token.scopes());
    assertEquals(Bearer.PERSON, token.bearer());
  }

  @Test
  public void namesATokenWithoutJtiByTheDigestEveryEncodingOfItShares() {
    verifier = verifierFor(idp.settings().tokenTypes(Set.of("JWT")).requiredClaims(Set.of()).build());
    String token = idp.sign(idp.key, idp.validHeader().type(com.nimbusds.jose.JOSEObjectType.JWT),
        idp.validClaims().jwtID(null));
    // The last base64url character of a 256-byte signature carries 4 unused bits: set one.
    char last = token.charAt(token.length() - 1);
    String reencoded = token.substring(0, token.length() - 1)
        + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".charAt(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".indexOf(last) ^ 1);

    String id = verify(token).tokenId();
    assertTrue(id.startsWith("sha256:"), id);
    assertEquals(id, verify(reencoded).tokenId());
  }

  @Test
  public void refusesAnAtJwtWithoutClientIdOrJtiEvenWhenNotRequiredOtherwise() {
    verifier = verifierFor(idp.settings().requiredClaims(Set.of()).build());

    assertThrows(InvalidAccessToken.class, () -> verify(idp.tokenWith(c -> c.jwtID(null))));
    assertThrows(InvalidAccessToken.class, () -> verify(idp.tokenWith(c -> c.claim("client_id", null))));
  }

  @Test
  public void requiresTheConfiguredClaimsOfAJwtTypedToken() {
    verifier = verifierFor(idp.settings().tokenTypes(Set.of("JWT")).requiredClaims(Set.of("jti", "azp")).build());
    String withoutAzp = idp.sign(idp.key, idp.validHeader().type(com.nimbusds.jose.JOSEObjectType.JWT), idp.validClaims());

    assertThrows(InvalidAccessToken.class, () -> verify(withoutAzp));
    assertEquals("ada", verify(idp.sign(idp.key, idp.validHeader().type(com.nimbusds.jose.JOSEObjectType.JWT),
        idp.validClaims().claim("azp", "web-app"))).identity().subject());
  }

  @Test
  public void readsScopesFromAnScpList() {
    assertEquals(Set.of("a", "b"), verify(idp.tokenWith(c -> c.claim("scope", null).claim("scp", List.of("a", "b")))).scopes());
  }

  @Test
  public void tellsClientCredentialsTokensFromPeople() {
    assertEquals(Bearer.CLIENT, verify(idp.tokenWith(c -> c.subject("web-app"))).bearer());
    assertEquals(Bearer.CLIENT, verify(idp.tokenWith(c -> c.subject("m2m").claim("gty", "client-credentials"))).bearer());
    assertEquals(Bearer.CLIENT, verify(idp.tokenWith(c -> c.subject("web-app@clients"))).bearer());
  }

  @Test
  public void acceptsTheFullMediaTypeAndOnlyTheConfiguredTypes() {
    verify(idp.sign(idp.key, idp.validHeader().type(new JOSEObjectType("application/at+jwt")), idp.validClaims()));

    AccessTokenVerifier lenient = verifierFor(idp.settings().tokenTypes(Set.of("at+jwt", "JWT")).build());
    lenient.verify(new AccessToken(idp.sign(idp.key, idp.validHeader().type(JOSEObjectType.JWT), idp.validClaims())));
  }

  @Test
  public void toleratesAnExpiryWithinTheClockSkew() {
    Date issued = new Date(System.currentTimeMillis() - 300_000);
    Date justExpired = new Date(System.currentTimeMillis() - 10_000);

    assertEquals("ada", verify(idp.tokenWith(c -> c.issueTime(issued).expirationTime(justExpired))).identity().subject());
  }

  @Test
  public void saysAnExpiredTokenIsExpired() {
    InvalidAccessToken refused = assertThrows(InvalidAccessToken.class, () -> verify(idp.tokenWith(
        c -> c.issueTime(new Date(System.currentTimeMillis() - 600_000))
            .expirationTime(new Date(System.currentTimeMillis() - 120_000)))));

    assertEquals(InvalidAccessToken.Reason.EXPIRED, refused.reason());
  }

  static Stream<AttackTokens.Attack> attacks() {
    return AttackTokens.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("attacks")
  public void refusesEveryClassicAttack(AttackTokens.Attack attack) {
    AccessToken forged = new AccessToken(attack.token().apply(idp));

    InvalidAccessToken refused = assertThrows(InvalidAccessToken.class, () -> verifier.verify(forged));

    if (!attack.name().startsWith("expired")) {
      assertEquals(InvalidAccessToken.Reason.INVALID, refused.reason(), "no hint for a forger");
    }
    assertEquals(0, idp.userinfoRequests.get() + idp.introspectionRequests.get());
  }

  @Test
  public void picksUpARotatedKeyAtOnce() throws Exception {
    verify(idp.validToken());
    RSAKey next = idp.rotateKey("key-2");

    verify(idp.sign(next, idp.validHeader().keyID("key-2"), idp.validClaims()));

    assertEquals(2, idp.jwksRequests.get());
  }

  @Test
  public void answersAFloodOfUnknownKidsWithoutHammeringTheProvider() {
    verify(idp.validToken());

    for (int i = 0; i < 100; i++) {
      String junk = idp.sign(idp.forgerKey, idp.validHeader().keyID("junk-" + i), idp.validClaims());
      assertThrows(InvalidAccessToken.class, () -> verify(junk));
    }

    assertTrue(idp.jwksRequests.get() <= 3, "key set fetched " + idp.jwksRequests.get() + " times");
    assertEquals("ada", verify(idp.validToken()).identity().subject());
  }

  @Test
  public void keepsVerifyingWithCachedKeysWhileTheKeySetIsDown() {
    verify(idp.validToken());
    idp.jwksStatus = 503;

    assertEquals("ada", verify(idp.validToken()).identity().subject());
  }

  @Test
  public void toleratesAKeySetOutagePastTheCacheLifetime() throws Exception {
    // Nimbus's key cache reads the system clock: the tolerance is far longer than a busy machine
    // stalls, so only the lower bound (past the lifetime) is a matter of time.
    verifier = verifierFor(idp.settings().keyCacheTtl(Duration.ofMillis(1000))
        .keyRefetchInterval(Duration.ofMillis(400)).keyOutageTolerance(Duration.ofMinutes(1)).build());
    verify(idp.validToken());
    idp.jwksStatus = 503;

    Thread.sleep(1500); // past the cache lifetime
    assertEquals("ada", verify(idp.validToken()).identity().subject());
  }

  @Test
  public void refusesOnceAKeySetOutageOutlastsTheTolerance() throws Exception {
    verifier = verifierFor(idp.settings().keyCacheTtl(Duration.ofMillis(600))
        .keyRefetchInterval(Duration.ofMillis(200)).keyOutageTolerance(Duration.ofMillis(600)).build());
    verify(idp.validToken());
    idp.jwksStatus = 503;

    Thread.sleep(1500); // past cache lifetime + tolerance
    assertThrows(IdentityProviderUnavailable.class, () -> verify(idp.validToken()));
  }

  @Test
  public void givesUpOnASlowKeySetWithinTheTimeout() {
    verifier = verifierFor(idp.settings().httpTimeout(Duration.ofMillis(300)).build());
    idp.jwksDelayMillis = 3 * Elapsed.MARGIN.toMillis();

    assertFailsWithin(IdentityProviderUnavailable.class, Duration.ofMillis(300), () -> verify(idp.validToken()));
  }

  @Test
  public void checksEachTokenOnlyWithTheKeysOfTheIssuerItNames() throws Exception {
    try (TestIdentityProvider other = new TestIdentityProvider()) {
      verifier = verifierFor(idp.settings().build(), other.settings().build());

      assertEquals(new Identity(other.issuer(), "ada"), verify(other.validToken()).identity());
      assertEquals(new Identity(idp.issuer(), "ada"), verify(idp.validToken()).identity());
      // Both providers use kid "key-1": a token naming the other issuer, signed with our key.
      String crossed = idp.sign(idp.key, idp.validHeader(), other.validClaims());
      assertThrows(InvalidAccessToken.class, () -> verify(crossed));
    }
  }

  @Test
  public void reportsTheProviderUnavailableWhenDiscoveryFailsAndRecovers() {
    idp.discoveryStatus = 503;
    assertThrows(IdentityProviderUnavailable.class, () -> verify(idp.validToken()));

    idp.discoveryStatus = 200;
    assertEquals("ada", verify(idp.validToken()).identity().subject());
  }

  @Test
  public void needsNoDiscoveryWhenTheEndpointsAreConfigured() {
    verifier = verifierFor(idp.settings().jwksUri(java.net.URI.create(idp.issuer() + "/jwks"))
        .userinfoEndpoint(java.net.URI.create(idp.issuer() + "/userinfo")).build());

    verify(idp.validToken());

    assertEquals(0, idp.discoveryRequests.get());
  }

  @Test
  public void refusesSymmetricAlgorithmsInTheConfiguration() {
    assertThrows(IllegalArgumentException.class, () -> idp.settings().algorithms(Set.of("RS256", "HS256")).build());
  }
}
