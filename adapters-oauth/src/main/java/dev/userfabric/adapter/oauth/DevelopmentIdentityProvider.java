package dev.userfabric.adapter.oauth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * A development-only OpenID provider on loopback: discovery, JWKS, userinfo, and
 * {@code /token?user=NAME[&scope=SCOPES]}, which hands anyone a token for any user. It exists so the service runs
 * with nothing else installed; it must never face a network.
 */
public final class DevelopmentIdentityProvider implements AutoCloseable {

  private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Duration TOKEN_LIFETIME = Duration.ofHours(1);
  private static final String DEFAULT_SCOPE = "openid profile email";
  /** RFC 6749 3.3: scope tokens of printable ASCII but space, quote and backslash, space-separated. */
  private static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+( [\\x21\\x23-\\x5B\\x5D-\\x7E]+){0,31}");

  private final HttpServer server;
  private final RSAKey signingKey;
  private final String audience;
  private final URI issuer;

  private DevelopmentIdentityProvider(HttpServer server, RSAKey signingKey, String audience) {
    this.server = server;
    this.signingKey = signingKey;
    this.audience = audience;
    this.issuer = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Starts on 127.0.0.1 at the port (0 picks a free one) with a freshly generated key. */
  public static DevelopmentIdentityProvider start(int port, String audience) throws IOException {
    RSAKey key;
    try {
      key = new RSAKeyGenerator(2048).keyID("dev-" + UUID.randomUUID())
          .keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException("could not generate a development signing key", e);
    }
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    DevelopmentIdentityProvider provider = new DevelopmentIdentityProvider(server, key, audience);
    server.createContext("/.well-known/openid-configuration", provider::discovery);
    server.createContext("/jwks", provider::jwks);
    server.createContext("/userinfo", provider::userinfo);
    server.createContext("/token", provider::token);
    server.setExecutor(Executors.newFixedThreadPool(2, Thread.ofPlatform().daemon().factory()));
    server.start();
    return provider;
  }

  public URI issuer() {
    return issuer;
  }

  /** A signed access token for the named development user, as {@code /token} hands out. */
  public String issueToken(String user) {
    return issueToken(user, DEFAULT_SCOPE);
  }

  /** The same with the given scopes (space-separated), e.g. to try an admin call. */
  public String issueToken(String user, String scope) {
    Instant now = Instant.now();
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(issuer.toString()).subject(user).audience(audience)
        .issueTime(Date.from(now)).notBeforeTime(Date.from(now))
        .expirationTime(Date.from(now.plus(TOKEN_LIFETIME)))
        .jwtID(UUID.randomUUID().toString())
        .claim("scope", scope)
        .claim("client_id", "userfabric-dev")
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256)
        .type(new JOSEObjectType("at+jwt")).keyID(signingKey.getKeyID()).build(), claims);
    try {
      jwt.sign(new RSASSASigner(signingKey));
    } catch (JOSEException e) {
      throw new IllegalStateException("could not sign a development token", e);
    }
    return jwt.serialize();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void discovery(HttpExchange exchange) throws IOException {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("issuer", issuer.toString());
    document.put("jwks_uri", issuer + "/jwks");
    document.put("userinfo_endpoint", issuer + "/userinfo");
    document.put("token_endpoint", issuer + "/token");
    document.put("id_token_signing_alg_values_supported", new String[] {"RS256"});
    document.put("subject_types_supported", new String[] {"public"});
    document.put("response_types_supported", new String[] {"token"});
    respond(exchange, 200, JSONObjectUtils.toJSONString(document));
  }

  private void jwks(HttpExchange exchange) throws IOException {
    respond(exchange, 200, new JWKSet(signingKey.toPublicJWK()).toString());
  }

  private void token(HttpExchange exchange) throws IOException {
    String user = queryParameter(exchange.getRequestURI(), "user");
    if (user == null || !USER_NAME.matcher(user).matches()) {
      respond(exchange, 400, "{\"error\":\"invalid_request\",\"error_description\":"
          + "\"pass ?user=NAME (letters, digits, . _ -)\"}");
      return;
    }
    String scope = Optional.ofNullable(queryParameter(exchange.getRequestURI(), "scope")).orElse(DEFAULT_SCOPE).strip();
    if (!SCOPE.matcher(scope).matches()) {
      respond(exchange, 400, "{\"error\":\"invalid_scope\",\"error_description\":"
          + "\"scope is space-separated scope tokens (RFC 6749 3.3)\"}");
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("access_token", issueToken(user, scope));
    body.put("scope", scope);
    body.put("token_type", "Bearer");
    body.put("expires_in", TOKEN_LIFETIME.toSeconds());
    respond(exchange, 200, JSONObjectUtils.toJSONString(body));
  }

  private void userinfo(HttpExchange exchange) throws IOException {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    String subject = authorization != null && authorization.startsWith("Bearer ")
        ? verifiedSubject(authorization.substring("Bearer ".length())) : null;
    if (subject == null) {
      exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer error=\"invalid_token\"");
      respond(exchange, 401, "{\"error\":\"invalid_token\"}");
      return;
    }
    Map<String, Object> profile = new LinkedHashMap<>();
    profile.put("sub", subject);
    profile.put("email", subject.toLowerCase(Locale.ROOT) + "@dev.userfabric.test");
    profile.put("email_verified", true);
    profile.put("name", subject + " (development user)");
    profile.put("given_name", subject);
    profile.put("locale", "en");
    respond(exchange, 200, JSONObjectUtils.toJSONString(profile));
  }

  private String verifiedSubject(String token) {
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      boolean valid = jwt.verify(new RSASSAVerifier(signingKey))
          && claims.getExpirationTime() != null
          && claims.getExpirationTime().toInstant().isAfter(Instant.now());
      return valid ? claims.getSubject() : null;
    } catch (ParseException | JOSEException e) {
      return null;
    }
  }

  private static String queryParameter(URI uri, String name) {
    String query = uri.getRawQuery();
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      String[] parts = pair.split("=", 2);
      if (parts.length == 2 && parts[0].equals(name)) {
        return URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private static void respond(HttpExchange exchange, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }
}
