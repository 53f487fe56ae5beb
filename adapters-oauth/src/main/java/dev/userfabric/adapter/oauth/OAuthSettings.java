package dev.userfabric.adapter.oauth;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * The one identity provider we trust and how far.
 *
 * @param issuer the exact {@code iss} of its tokens; discovery is read from
 *     {@code {issuer}/.well-known/openid-configuration}
 * @param audience the value our tokens must carry in {@code aud}
 * @param algorithms the JWS algorithms accepted (asymmetric only); never taken from the token
 * @param tokenTypes the accepted JOSE {@code typ} header values (RFC 9068 says {@code at+jwt};
 *     many providers send {@code JWT})
 * @param clockSkew tolerance for {@code exp} and {@code nbf}
 * @param httpTimeout bound on every call to the provider (connect and read each)
 * @param keyCacheTtl how long fetched keys are used before they are refreshed
 */
public record OAuthSettings(
    URI issuer,
    String audience,
    Set<String> algorithms,
    Set<String> tokenTypes,
    Duration clockSkew,
    Duration httpTimeout,
    Duration keyCacheTtl) {

  public static final Set<String> DEFAULT_ALGORITHMS =
      Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA");
  public static final Set<String> DEFAULT_TOKEN_TYPES = Set.of("at+jwt", "JWT");

  public OAuthSettings {
    Objects.requireNonNull(issuer, "issuer must not be null");
    if (audience == null || audience.isBlank()) {
      throw new IllegalArgumentException("audience must be set when an issuer is configured");
    }
    algorithms = Set.copyOf(algorithms);
    tokenTypes = Set.copyOf(tokenTypes);
    if (algorithms.isEmpty()) {
      throw new IllegalArgumentException("algorithms must not be empty");
    }
    Objects.requireNonNull(clockSkew, "clockSkew must not be null");
    Objects.requireNonNull(httpTimeout, "httpTimeout must not be null");
    Objects.requireNonNull(keyCacheTtl, "keyCacheTtl must not be null");
  }

  /** Defaults for everything but who the provider is and who we are. */
  public static OAuthSettings of(URI issuer, String audience) {
    return new OAuthSettings(issuer, audience, DEFAULT_ALGORITHMS, DEFAULT_TOKEN_TYPES,
        Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofMinutes(5));
  }
}
