package dev.userfabric.adapter.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import java.text.ParseException;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One parse of a JWS's payload serves both the checks (claims as sent) and Nimbus's claims set. */
class ParsedJwsTest {

  private static RSAKey key;

  @BeforeAll
  static void generateKey() throws Exception {
    key = new RSAKeyGenerator(2048).keyID("k1").generate();
  }

  private static String sign(String payloadJson) throws Exception {
    JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1")
        .type(new JOSEObjectType("at+jwt")).build(), new Payload(payloadJson));
    jws.sign(new RSASSASigner(key));
    return jws.serialize();
  }

  @Test
  void keepsTheClaimsAsSentAndMakesNimbusClaimsSetFromThem() throws Exception {
    ParsedJws jws = ParsedJws.of(sign("{\"iss\":\"https://idp.test\",\"sub\":12345,\"exp\":2000000000}"));

    Map<String, Object> claims = jws.claims();
    assertEquals(12345L, ((Number) claims.get("sub")).longValue());
    assertFalse(claims.get("sub") instanceof String, "the checks see the number the issuer sent");
    JWTClaimsSet claimsSet = jws.getJWTClaimsSet();
    assertEquals("https://idp.test", claimsSet.getIssuer());
    assertEquals("12345", claimsSet.getSubject(), "Nimbus's view, as SignedJWT would give it");
    assertSame(claims, jws.claims(), "parsed once");
    assertSame(claimsSet, jws.getJWTClaimsSet(), "made once");
  }

  @Test
  void verifiesOverTheTokensOwnParts() throws Exception {
    String token = sign("{\"iss\":\"https://idp.test\",\"sub\":\"ada\"}");
    assertTrue(ParsedJws.of(token).verify(new RSASSAVerifier(key.toRSAPublicKey())));

    String[] parts = token.split("\\.");
    String otherPayload = Base64URL.encode("{\"iss\":\"https://idp.test\",\"sub\":\"eve\"}").toString();
    ParsedJws forged = ParsedJws.of(parts[0] + "." + otherPayload + "." + parts[2]);
    assertEquals("eve", forged.getJWTClaimsSet().getSubject());
    assertFalse(forged.verify(new RSASSAVerifier(key.toRSAPublicKey())), "a swapped payload does not verify");
  }

  @Test
  void refusesAPayloadThatIsNotAJsonObject() throws Exception {
    ParsedJws jws = ParsedJws.of(sign("[\"not\", \"an\", \"object\"]"));
    assertThrows(ParseException.class, jws::claims);
    assertThrows(ParseException.class, jws::getJWTClaimsSet);
  }

  @Test
  void refusesWhatIsNotACompactJws() {
    String plain = new PlainJWT(new JWTClaimsSet.Builder().subject("ada").build()).serialize();
    assertThrows(ParseException.class, () -> ParsedJws.of(plain), "alg none");
    assertThrows(ParseException.class, () -> ParsedJws.of("eyJhbGciOiJSUzI1NiJ9.e30"), "two parts");
    assertThrows(ParseException.class, () -> ParsedJws.of("a.b.c.d.e"), "five parts (JWE)");
  }
}
