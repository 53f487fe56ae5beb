package dev.userfabric.adapter.oauth.testing;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The classic JWT attacks, each a token every trusted-issuer configuration must refuse as
 * invalid. Shared by the adapter's tests and the end-to-end attack suite over gRPC.
 */
public final class AttackTokens {

  /** One attack: a name for the report and how to forge its token at a given provider. */
  public record Attack(String name, Function<TestIdentityProvider, String> token) {
    @Override
    public String toString() {
      return name;
    }
  }

  private AttackTokens() {}

  public static List<Attack> all() {
    Instant now = Instant.now();
    return List.of(
        // Form and size, before any cryptography
        new Attack("empty-looking junk", p -> "...."),
        new Attack("not a JWT", p -> "not-a-jwt"),
        new Attack("oversized", p -> "a".repeat(16 * 1024 + 1)),
        new Attack("characters no bearer token has", p -> p.validToken() + "\"<script>"),
        new Attack("two segments", p -> p.validToken().substring(0, p.validToken().lastIndexOf('.'))),
        new Attack("header is not JSON", p -> b64("not json") + "." + p.validToken().split("\\.")[1] + ".c2ln"),
        new Attack("encrypted JWT (JWE)", AttackTokens::encrypted),
        // Signatures
        new Attack("alg none", p -> new PlainJWT(p.validClaims().build()).serialize()),
        new Attack("alg none with a signature", p -> noneWithSignature(p)),
        new Attack("HS256 keyed with the public key", AttackTokens::algorithmConfusion),
        new Attack("stripped signature", p -> { String t = p.validToken(); return t.substring(0, t.lastIndexOf('.') + 1); }),
        new Attack("signature of another token", p -> swapSignature(p)),
        new Attack("tampered claims", AttackTokens::tamperedClaims),
        new Attack("signed by a forger's key with the real kid", p -> p.sign(p.forgerKey, p.validHeader(), p.validClaims())),
        new Attack("alg changed to PS256 after signing with RS256", p -> relabel(p, JWSAlgorithm.PS256)),
        // Keys named or carried by the token
        new Attack("jwk header with the attacker's key", AttackTokens::embeddedKey),
        new Attack("jku header to the attacker's key set", p -> p.sign(p.forgerKey,
            p.validHeader().jwkURL(URI.create("http://127.0.0.1:9/attacker-jwks")), p.validClaims())),
        new Attack("x5u header", p -> p.sign(p.key, p.validHeader().x509CertURL(URI.create("http://127.0.0.1:9/cert.pem")), p.validClaims())),
        new Attack("x5c header", p -> p.sign(p.key, p.validHeader().x509CertChain(List.of(Base64.encode("not a cert"))), p.validClaims())),
        new Attack("crit header", p -> p.sign(p.key, p.validHeader().criticalParams(Set.of("exp")).customParam("exp", 1), p.validClaims())),
        new Attack("kid path traversal", p -> p.sign(p.forgerKey, p.validHeader().keyID("../../../../dev/null"), p.validClaims())),
        new Attack("kid injection", p -> p.sign(p.forgerKey, p.validHeader().keyID("x' OR '1'='1"), p.validClaims())),
        // Keys the key set does not allow for this
        new Attack("signed by a 1024-bit published key", p -> p.sign(p.weakKey, p.validHeader().keyID("weak-key"), p.validClaims())),
        new Attack("signed by a published encryption key", p -> p.sign(p.encryptionKey, p.validHeader().keyID("enc-key"), p.validClaims())),
        new Attack("signed by a published key_ops=sign key", p -> p.sign(p.signOnlyKey, p.validHeader().keyID("sign-only-key"), p.validClaims())),
        // Type
        new Attack("typ JWT where at+jwt is required", p -> p.sign(p.key, p.validHeader().type(JOSEObjectType.JWT), p.validClaims())),
        new Attack("no typ", p -> p.sign(p.key, new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(p.key.getKeyID()), p.validClaims())),
        new Attack("an ID token (typ JWT, aud a client)", p -> p.sign(p.key, p.validHeader().type(JOSEObjectType.JWT), p.validClaims().audience("web-app"))),
        // Issuer and audience
        new Attack("untrusted issuer", p -> p.tokenWith(c -> c.issuer("https://evil.example.test"))),
        new Attack("issuer with a trailing slash", p -> p.tokenWith(c -> c.issuer(p.issuer() + "/"))),
        new Attack("no issuer", p -> p.tokenWith(c -> c.issuer(null))),
        new Attack("wrong audience", p -> p.tokenWith(c -> c.audience("someone-else"))),
        new Attack("no audience", p -> p.tokenWith(c -> c.audience((String) null))),
        // Subject
        new Attack("no subject", p -> p.tokenWith(c -> c.subject(null))),
        new Attack("blank subject", p -> p.tokenWith(c -> c.subject("   "))),
        new Attack("subject with control characters", p -> p.tokenWith(c -> c.subject("ada\n2026-01-01 admin login"))),
        new Attack("oversized subject", p -> p.tokenWith(c -> c.subject("a".repeat(256)))),
        new Attack("subject that is not a string", p -> p.tokenWith(c -> c.claim("sub", List.of("ada")))),
        new Attack("subject that is a number", p -> p.tokenWith(c -> c.claim("sub", 12345))),
        new Attack("subject that is an object", p -> p.tokenWith(c -> c.claim("sub", java.util.Map.of("id", "ada")))),
        // Other string-typed claims, and what RFC 9068 2.2 requires of an at+jwt
        new Attack("client_id that is a number", p -> p.tokenWith(c -> c.claim("client_id", 7))),
        new Attack("jti that is a number", p -> p.tokenWith(c -> c.claim("jti", 7))),
        new Attack("scope that is a list", p -> p.tokenWith(c -> c.claim("scope", List.of("openid")))),
        new Attack("issuer that is a list", p -> p.tokenWith(c -> c.claim("iss", List.of(p.issuer())))),
        new Attack("at+jwt without client_id", p -> p.tokenWith(c -> c.claim("client_id", null))),
        new Attack("at+jwt without jti", p -> p.tokenWith(c -> c.jwtID(null))),
        // Time
        new Attack("expired", p -> p.tokenWith(c -> c.expirationTime(Date.from(now.minusSeconds(3600))))),
        new Attack("expired beyond the clock skew", p -> p.tokenWith(c -> c.issueTime(Date.from(now.minusSeconds(600))).expirationTime(Date.from(now.minusSeconds(60))))),
        new Attack("not yet valid", p -> p.tokenWith(c -> c.notBeforeTime(Date.from(now.plusSeconds(3600))))),
        new Attack("issued in the future", p -> p.tokenWith(c -> c.issueTime(Date.from(now.plusSeconds(3600))).expirationTime(Date.from(now.plusSeconds(7200))))),
        new Attack("no expiry", p -> p.tokenWith(c -> c.expirationTime(null))),
        new Attack("no issued-at", p -> p.tokenWith(c -> c.issueTime(null))),
        new Attack("lifetime of a year", p -> p.tokenWith(c -> c.expirationTime(Date.from(now.plusSeconds(366L * 24 * 3600))))),
        new Attack("expiry before issue", p -> p.tokenWith(c -> c.issueTime(Date.from(now.minusSeconds(10))).expirationTime(Date.from(now.minusSeconds(20))))),
        new Attack("expiry as a string", p -> p.tokenWith(c -> c.claim("exp", "tomorrow"))));
  }

  private static String b64(String text) {
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String algorithmConfusion(TestIdentityProvider p) {
    try {
      byte[] publicKey = p.key.toRSAPublicKey().getEncoded();
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256)
          .type(new JOSEObjectType("at+jwt")).keyID(p.key.getKeyID()).build(), p.validClaims().build());
      jwt.sign(new MACSigner(Arrays.copyOf(publicKey, 64)));
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String noneWithSignature(TestIdentityProvider p) {
    String[] parts = p.validToken().split("\\.");
    return b64("{\"alg\":\"none\",\"typ\":\"at+jwt\"}") + "." + parts[1] + "." + parts[2];
  }

  private static String relabel(TestIdentityProvider p, JWSAlgorithm algorithm) {
    String[] parts = p.validToken().split("\\.");
    return b64("{\"alg\":\"" + algorithm + "\",\"typ\":\"at+jwt\",\"kid\":\"" + p.key.getKeyID() + "\"}")
        + "." + parts[1] + "." + parts[2];
  }

  private static String swapSignature(TestIdentityProvider p) {
    String victim = p.validToken();
    String eve = p.tokenFor("eve");
    return eve.substring(0, eve.lastIndexOf('.')) + victim.substring(victim.lastIndexOf('.'));
  }

  private static String tamperedClaims(TestIdentityProvider p) {
    String[] parts = p.validToken().split("\\.");
    return parts[0] + "." + b64(p.validClaims("eve").build().toString()) + "." + parts[2];
  }

  private static String embeddedKey(TestIdentityProvider p) {
    RSAKey attacker = p.forgerKey;
    return p.sign(attacker, p.validHeader().jwk(attacker.toPublicJWK()), p.validClaims());
  }

  private static String encrypted(TestIdentityProvider p) {
    try {
      JWEObject jwe = new JWEObject(new JWEHeader(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A128GCM),
          new Payload(p.validToken()));
      jwe.encrypt(new RSAEncrypter(p.key.toRSAPublicKey()));
      return jwe.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
