package dev.userfabric.adapter.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.userfabric.domain.model.AccessToken;
import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.model.IdentityProviderUnavailable;
import dev.userfabric.domain.model.InvalidAccessToken;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NimbusAccessTokenVerifierTest {

  private TestOidcProvider idp;
  private NimbusAccessTokenVerifier verifier;

  @BeforeEach
  void start() throws Exception {
    idp = new TestOidcProvider();
    verifier = new NimbusAccessTokenVerifier(new OidcDiscovery(idp.settings()), idp.settings());
  }

  @AfterEach
  void stop() {
    idp.close();
  }

  @Test
  public void acceptsAValidTokenAndNamesItsIssuerAndSubject() {
    Identity identity = verifier.verify(new AccessToken(idp.validToken()));

    assertEquals(new Identity(idp.issuer(), "ada"), identity);
  }

  @Test
  public void fetchesTheKeysOnceForManyTokens() {
    for (int i = 0; i < 20; i++) {
      verifier.verify(new AccessToken(idp.validToken()));
    }

    assertEquals(1, idp.jwksRequests.get());
  }

  static Stream<Arguments> forgedTokens() {
    Instant past = Instant.now().minusSeconds(3600);
    Instant future = Instant.now().plusSeconds(3600);
    Map<String, Function<TestOidcProvider, String>> cases = Map.ofEntries(
        Map.entry("expired", p -> p.tokenWith(c -> c.expirationTime(Date.from(past)))),
        Map.entry("not yet valid", p -> p.tokenWith(c -> c.notBeforeTime(Date.from(future)))),
        Map.entry("wrong issuer", p -> p.tokenWith(c -> c.issuer("https://evil.example.test"))),
        Map.entry("issuer with trailing slash", p -> p.tokenWith(c -> c.issuer(p.issuer() + "/"))),
        Map.entry("wrong audience", p -> p.tokenWith(c -> c.audience("someone-else"))),
        Map.entry("no audience", p -> p.tokenWith(c -> c.audience((String) null))),
        Map.entry("no subject", p -> p.tokenWith(c -> c.subject(null))),
        Map.entry("no expiry", p -> p.tokenWith(c -> c.expirationTime(null))),
        Map.entry("blank subject", p -> p.tokenWith(c -> c.subject("   "))),
        Map.entry("signed by another key", p -> p.sign(p.otherKey, p.validHeader(), p.validClaims())),
        Map.entry("unknown kid", p -> p.sign(p.key, p.validHeader().keyID("nope"), p.validClaims())),
        Map.entry("wrong typ", p -> p.sign(p.key,
            p.validHeader().type(new JOSEObjectType("id_token+jwt")), p.validClaims())),
        Map.entry("alg none", p -> new PlainJWT(p.validClaims().build()).serialize()),
        Map.entry("HS256 keyed with the public key", NimbusAccessTokenVerifierTest::algorithmConfusion),
        Map.entry("stripped signature", p -> {
          String token = p.validToken();
          return token.substring(0, token.lastIndexOf('.') + 1);
        }),
        Map.entry("tampered claims", NimbusAccessTokenVerifierTest::tamperedClaims),
        Map.entry("not a JWT", p -> "not-a-jwt"),
        Map.entry("oversized", p -> "a".repeat(NimbusAccessTokenVerifier.MAX_TOKEN_LENGTH + 1)));
    return cases.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("forgedTokens")
  public void refusesForgedOrMisdirectedTokens(String attack, Function<TestOidcProvider, String> token) {
    AccessToken forged = new AccessToken(token.apply(idp));

    assertThrows(InvalidAccessToken.class, () -> verifier.verify(forged), attack);
  }

  @Test
  public void reportsTheProviderUnavailableWhenDiscoveryFails() {
    idp.discoveryStatus = 503;

    assertThrows(IdentityProviderUnavailable.class,
        () -> verifier.verify(new AccessToken(idp.validToken())));
  }

  @Test
  public void recoversOnceDiscoveryWorksAgain() {
    idp.discoveryStatus = 503;
    assertThrows(IdentityProviderUnavailable.class,
        () -> verifier.verify(new AccessToken(idp.validToken())));
    idp.discoveryStatus = 200;

    assertEquals("ada", verifier.verify(new AccessToken(idp.validToken())).subject());
  }

  @Test
  public void reportsTheProviderUnavailableWhenItsKeysCannotBeFetched() {
    idp.jwksStatus = 500;

    assertThrows(IdentityProviderUnavailable.class,
        () -> verifier.verify(new AccessToken(idp.validToken())));
  }

  private static String algorithmConfusion(TestOidcProvider p) {
    try {
      byte[] publicKey = p.key.toRSAPublicKey().getEncoded();
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256)
          .type(new JOSEObjectType("at+jwt")).keyID(p.key.getKeyID()).build(),
          p.validClaims().build());
      jwt.sign(new MACSigner(Arrays.copyOf(publicKey, 64)));
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String tamperedClaims(TestOidcProvider p) {
    String[] parts = p.validToken().split("\\.");
    String evePayload = Base64.getUrlEncoder().withoutPadding().encodeToString(
        p.validClaims().subject("eve").build().toString().getBytes());
    return parts[0] + "." + evePayload + "." + parts[2];
  }
}
