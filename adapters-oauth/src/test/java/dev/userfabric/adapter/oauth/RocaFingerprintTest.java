package dev.userfabric.adapter.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.userfabric.adapter.oauth.testing.TestIdentityProvider;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Wycheproof ROCA key (json_web_key_test.json, tcId 7) and the JWS it signed. */
class RocaFingerprintTest {

  @Test
  public void recognisesTheRocaKeyThatTheJdkWouldAccept() throws Exception {
    Map<String, Object> vector = vector();
    RSAKey roca = JWKSet.parse(JSONObjectUtils.toJSONString(JSONObjectUtils.getJSONObject(vector, "public")))
        .getKeys().getFirst().toRSAKey();
    JWSObject jws = JWSObject.parse((String) vector.get("jws"));

    assertTrue(jws.verify(new RSASSAVerifier(roca)), "the JDK alone accepts the signature");
    assertTrue(RocaFingerprint.matches(roca.getModulus().decodeToBigInteger()));
  }

  @Test
  public void passesSoundKeys() throws Exception {
    for (int i = 0; i < 5; i++) {
      RSAKey sound = TestIdentityProvider.rsaKey("sound-" + i, 2048);
      assertFalse(RocaFingerprint.matches(sound.getModulus().decodeToBigInteger()));
    }
  }

  @Test
  public void aKeySetWithARocaKeyOffersNoKeyToVerifyWith() throws Exception {
    Map<String, Object> vector = vector();
    JWKSet keys = JWKSet.parse(JSONObjectUtils.toJSONString(JSONObjectUtils.getJSONObject(vector, "public")));
    JWSObject jws = JWSObject.parse((String) vector.get("jws"));
    var selector = new KeySetVerifier.StrictKeySelector(java.util.Set.of(jws.getHeader().getAlgorithm()),
        new ImmutableJWKSet<SecurityContext>(keys));

    assertEquals(0, selector.selectJWSKeys(jws.getHeader(), null).size());
    assertNotNull(keys.getKeyByKeyId(jws.getHeader().getKeyID()), "the key is in the set, just refused");
  }

  private static Map<String, Object> vector() throws Exception {
    try (InputStream in = RocaFingerprintTest.class.getResourceAsStream("/roca-key-set.json")) {
      return JSONObjectUtils.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
