package dev.userfabric.adapter.oauth.testing;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.userfabric.adapter.oauth.IssuerSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A scriptable OpenID provider over real HTTP on loopback: discovery, JWKS, userinfo and RFC 7662
 * introspection, with RSA keys generated per instance. Tests change what it serves and read how
 * often each endpoint was asked.
 */
public final class TestIdentityProvider implements AutoCloseable {

  public static final String AUDIENCE = "userfabric-test";
  public static final String INTROSPECTION_CLIENT = "userfabric-introspector";
  public static final String INTROSPECTION_SECRET = "introspection-secret";

  public final RSAKey key;
  /** Same kid as {@link #key}, different key material: a forger's key. */
  public final RSAKey forgerKey;
  /** Published, but only 1024 bits: must never verify anything. */
  public final RSAKey weakKey;
  /** Published for encryption ("use":"enc"): must never verify anything. */
  public final RSAKey encryptionKey;
  /** Published with "key_ops":["sign"] only: must never verify anything. */
  public final RSAKey signOnlyKey;
  public final AtomicInteger discoveryRequests = new AtomicInteger();
  public final AtomicInteger jwksRequests = new AtomicInteger();
  public final AtomicInteger userinfoRequests = new AtomicInteger();
  /** Userinfo requests answered (after any delay): a caller's provider call is over. */
  public final AtomicInteger userinfoAnswers = new AtomicInteger();
  public final AtomicInteger introspectionRequests = new AtomicInteger();
  public volatile int discoveryStatus = 200;
  public volatile boolean advertiseUserinfo = true;
  public volatile int jwksStatus = 200;
  public volatile long jwksDelayMillis = 0;
  public volatile int userinfoStatus = 200;
  public volatile String userinfoBody = null;
  /** Send userinfo's body chunked, without a Content-Length. */
  public volatile boolean userinfoChunked = false;
  public volatile String userinfoRetryAfter = null;
  public volatile long userinfoDelayMillis = 0;
  /** Check the bearer token's signature before answering userinfo, as a real provider does. */
  public volatile boolean verifyUserinfoTokens = false;
  public volatile int introspectionStatus = 200;

  private final List<JWK> publishedKeys = new CopyOnWriteArrayList<>();
  private final Map<String, String> introspectionAnswers = new ConcurrentHashMap<>();
  private final HttpServer server;

  public TestIdentityProvider() throws Exception {
    key = rsaKey("key-1", 2048);
    forgerKey = new RSAKeyGenerator(2048).keyID(key.getKeyID()).keyUse(KeyUse.SIGNATURE).generate();
    weakKey = rsaKey("weak-key", 1024);
    encryptionKey = new RSAKeyGenerator(2048).keyID("enc-key").keyUse(KeyUse.ENCRYPTION).generate();
    signOnlyKey = new RSAKeyGenerator(2048).keyID("sign-only-key")
        .keyOperations(java.util.Set.of(com.nimbusds.jose.jwk.KeyOperation.SIGN)).generate();
    publishedKeys.addAll(List.of(key.toPublicJWK(), weakKey.toPublicJWK(),
        encryptionKey.toPublicJWK(), signOnlyKey.toPublicJWK()));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "test-idp");
      thread.setDaemon(true);
      return thread;
    }));
    server.createContext("/.well-known/openid-configuration", exchange -> {
      discoveryRequests.incrementAndGet();
      String userinfo = advertiseUserinfo ? "\"userinfo_endpoint\":\"%1$s/userinfo\",".formatted(issuer()) : "";
      respond(exchange, discoveryStatus, """
          {"issuer":"%1$s","jwks_uri":"%1$s/jwks",%2$s"introspection_endpoint":"%1$s/introspect"}"""
          .formatted(issuer(), userinfo));
    });
    server.createContext("/jwks", exchange -> {
      jwksRequests.incrementAndGet();
      sleep(jwksDelayMillis);
      respond(exchange, jwksStatus, new JWKSet(List.copyOf(publishedKeys)).toString());
    });
    server.createContext("/userinfo", exchange -> {
      userinfoRequests.incrementAndGet();
      sleep(userinfoDelayMillis);
      if (userinfoRetryAfter != null) {
        exchange.getResponseHeaders().set("Retry-After", userinfoRetryAfter);
      }
      try {
        respond(exchange, userinfoStatus, userinfoBody != null ? userinfoBody : profileOf(subjectOf(exchange)),
            userinfoChunked);
      } finally {
        userinfoAnswers.incrementAndGet();
      }
    });
    server.createContext("/introspect", this::introspect);
    server.start();
  }

  public String issuer() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Settings for this provider with keys refetched at most every 30 s (the default). */
  public IssuerSettings.Builder settings() {
    return IssuerSettings.builder(URI.create(issuer()), AUDIENCE);
  }

  /** An opaque-token issuer at this provider. */
  public IssuerSettings.Builder opaqueSettings() {
    return settings().tokenFormat(IssuerSettings.TokenFormat.OPAQUE)
        .introspectionClient(new IssuerSettings.ClientCredentials(INTROSPECTION_CLIENT, INTROSPECTION_SECRET));
  }

  /** Claims of a user's access token that should be accepted; tests change one thing. */
  public JWTClaimsSet.Builder validClaims(String subject) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder().issuer(issuer()).subject(subject).audience(AUDIENCE)
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
        .jwtID(UUID.randomUUID().toString()).claim("client_id", "web-app").claim("scope", "openid profile");
  }

  public JWTClaimsSet.Builder validClaims() {
    return validClaims("ada");
  }

  public JWSHeader.Builder validHeader() {
    return new JWSHeader.Builder(JWSAlgorithm.RS256).type(new JOSEObjectType("at+jwt")).keyID(key.getKeyID());
  }

  public String sign(RSAKey with, JWSHeader.Builder header, JWTClaimsSet.Builder claims) {
    try {
      SignedJWT jwt = new SignedJWT(header.build(), claims.build());
      jwt.sign(new RSASSASigner(with, true)); // true: lets tests sign with deliberately weak keys
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public String validToken() {
    return sign(key, validHeader(), validClaims());
  }

  public String tokenFor(String subject) {
    return sign(key, validHeader(), validClaims(subject));
  }

  public String tokenWith(UnaryOperator<JWTClaimsSet.Builder> change) {
    return sign(key, validHeader(), change.apply(validClaims()));
  }

  /** Publishes a new key (after the ones served so far) and returns it: a key rotation. */
  public RSAKey rotateKey(String kid) throws Exception {
    RSAKey next = rsaKey(kid, 2048);
    publishedKeys.add(next.toPublicJWK());
    return next;
  }

  /** Publishes exactly these public keys. */
  public void publish(JWK... keys) {
    publishedKeys.clear();
    publishedKeys.addAll(List.of(keys));
  }

  /** Makes an opaque token active at the introspection endpoint with these claims. */
  public String issueOpaqueToken(String subject, Duration lifetime, Map<String, Object> extraClaims) {
    String token = "opaque-" + UUID.randomUUID();
    Instant now = Instant.now();
    Map<String, Object> answer = new java.util.HashMap<>(Map.of(
        "active", true, "iss", issuer(), "sub", subject, "aud", AUDIENCE,
        "iat", now.getEpochSecond(), "exp", now.plus(lifetime).getEpochSecond(),
        "scope", "openid profile", "client_id", "web-app"));
    answer.putAll(extraClaims);
    introspectionAnswers.put(token, JSONObjectUtils.toJSONString(answer));
    return token;
  }

  public void deactivate(String opaqueToken) {
    introspectionAnswers.remove(opaqueToken);
  }

  public static RSAKey rsaKey(String kid, int bits) throws Exception {
    return new RSAKeyGenerator(bits, true).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).generate();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void introspect(HttpExchange exchange) throws IOException {
    introspectionRequests.incrementAndGet();
    String expected = "Basic " + Base64.getEncoder().encodeToString(
        (INTROSPECTION_CLIENT + ":" + INTROSPECTION_SECRET).getBytes(StandardCharsets.UTF_8));
    if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      respond(exchange, 401, "{\"error\":\"invalid_client\"}");
      return;
    }
    String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String token = null;
    for (String pair : form.split("&")) {
      if (pair.startsWith("token=")) {
        token = URLDecoder.decode(pair.substring("token=".length()), StandardCharsets.UTF_8);
      }
    }
    String answer = token == null ? null : introspectionAnswers.get(token);
    respond(exchange, introspectionStatus, answer != null ? answer : "{\"active\":false}");
  }

  /** The subject of the bearer token, read without checking: this is the provider's side. */
  private String subjectOf(HttpExchange exchange) {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    try {
      String token = authorization.substring("Bearer ".length());
      if (token.startsWith("opaque-")) {
        return (String) JSONObjectUtils.parse(introspectionAnswers.get(token)).get("sub");
      }
      SignedJWT jwt = SignedJWT.parse(token);
      if (verifyUserinfoTokens && !jwt.verify(new com.nimbusds.jose.crypto.RSASSAVerifier(key.toRSAPublicKey()))) {
        return "unknown";
      }
      return jwt.getJWTClaimsSet().getSubject();
    } catch (Exception e) {
      return "unknown";
    }
  }

  private static String profileOf(String subject) {
    return """
        {"sub":"%1$s","email":"%1$s@example.test","email_verified":true,"name":"%1$s Lovelace",
         "given_name":"%1$s","family_name":"Lovelace","locale":"en-GB",
         "phone_number":"+44 20 7946 0000","phone_number_verified":"true"}""".formatted(subject);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    respond(exchange, status, body, false);
  }

  private static void respond(HttpExchange exchange, int status, String body, boolean chunked) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, chunked ? 0 : bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }
}
