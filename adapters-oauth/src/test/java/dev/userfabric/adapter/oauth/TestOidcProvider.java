package dev.userfabric.adapter.oauth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/** A scriptable OpenID provider over real HTTP on loopback, with keys generated per test. */
final class TestOidcProvider implements AutoCloseable {

  static final String AUDIENCE = "userfabric-test";

  final RSAKey key;
  final RSAKey otherKey;
  private final HttpServer server;
  final AtomicInteger jwksRequests = new AtomicInteger();
  final AtomicInteger userinfoRequests = new AtomicInteger();
  volatile int discoveryStatus = 200;
  volatile int jwksStatus = 200;
  volatile int userinfoStatus = 200;
  volatile String userinfoBody = null;
  volatile long userinfoDelayMillis = 0;

  TestOidcProvider() throws Exception {
    key = rsaKey("test-key");
    otherKey = rsaKey("test-key"); // same kid, different key: a forgery
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/.well-known/openid-configuration", exchange -> respond(exchange,
        discoveryStatus, """
        {"issuer":"%1$s","jwks_uri":"%1$s/jwks","userinfo_endpoint":"%1$s/userinfo"}"""
        .formatted(issuer())));
    server.createContext("/jwks", exchange -> {
      jwksRequests.incrementAndGet();
      respond(exchange, jwksStatus, new JWKSet(key.toPublicJWK()).toString());
    });
    server.createContext("/userinfo", exchange -> {
      userinfoRequests.incrementAndGet();
      sleep(userinfoDelayMillis);
      respond(exchange, userinfoStatus, userinfoBody != null ? userinfoBody : """
          {"sub":"ada","email":"ada@example.test","email_verified":true,"name":"Ada Lovelace",
           "given_name":"Ada","family_name":"Lovelace","locale":"en-GB",
           "phone_number":"+44 20 7946 0000","phone_number_verified":"true"}""");
    });
    server.start();
  }

  String issuer() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  OAuthSettings settings() {
    return OAuthSettings.of(URI.create(issuer()), AUDIENCE);
  }

  /** Claims of a token that should be accepted; tests change one thing. */
  JWTClaimsSet.Builder validClaims() {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder().issuer(issuer()).subject("ada").audience(AUDIENCE)
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)));
  }

  JWSHeader.Builder validHeader() {
    return new JWSHeader.Builder(JWSAlgorithm.RS256).type(new JOSEObjectType("at+jwt"))
        .keyID(key.getKeyID());
  }

  String sign(RSAKey with, JWSHeader.Builder header, JWTClaimsSet.Builder claims) {
    try {
      SignedJWT jwt = new SignedJWT(header.build(), claims.build());
      jwt.sign(new RSASSASigner(with));
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  String validToken() {
    return sign(key, validHeader(), validClaims());
  }

  String tokenWith(UnaryOperator<JWTClaimsSet.Builder> change) {
    return sign(key, validHeader(), change.apply(validClaims()));
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private static RSAKey rsaKey(String kid) throws Exception {
    return new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE)
        .algorithm(JWSAlgorithm.RS256).generate();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }
}
