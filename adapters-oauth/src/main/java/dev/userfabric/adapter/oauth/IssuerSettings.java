package dev.userfabric.adapter.oauth;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One identity provider we trust, and how far. Build with {@link #builder(URI, String)}; every
 * setting but the issuer and the audience has a default.
 *
 * @param issuer the exact {@code iss} of its tokens; discovery is read from
 *     {@code {issuer}/.well-known/openid-configuration} unless every endpoint is given below
 * @param audience the value its tokens must carry in {@code aud}
 * @param tokenFormat signed JWTs verified here, or opaque tokens introspected at the provider
 * @param algorithms the JWS algorithms accepted; asymmetric only, never taken from the token
 * @param tokenTypes the accepted JOSE {@code typ} values; RFC 9068 says {@code at+jwt}, some
 *     providers send {@code JWT}
 * @param requiredClaims claims a JWT access token must carry besides {@code iss}, {@code sub},
 *     {@code aud}, {@code exp} and {@code iat}; an {@code at+jwt} token must carry {@code client_id}
 *     and {@code jti} as well, whatever this says (RFC 9068 2.2)
 * @param clockSkew tolerance for {@code exp}, {@code nbf} and {@code iat}
 * @param maxTokenLifetime tokens valid for longer than this ({@code exp - iat}) are refused
 * @param httpTimeout bound on every call to the provider (connect and read each)
 * @param jwksUri where the keys are, instead of the discovery document's {@code jwks_uri}
 * @param keyCacheTtl how long fetched keys are used before they are fetched again
 * @param keyOutageTolerance how long cached keys keep verifying while the key set cannot be fetched
 * @param keyRefetchInterval an unknown {@code kid} fetches the keys at once, but at most twice per
 *     interval, so a flood of made-up key ids cannot hammer the provider
 * @param userinfo where profiles come from
 * @param userinfoEndpoint instead of the discovery document's {@code userinfo_endpoint}
 * @param profileCacheTtl how long a fetched profile is reused for the same person
 * @param introspectionEndpoint instead of the discovery document's {@code introspection_endpoint}
 * @param introspectionClient our credentials at the introspection endpoint (opaque tokens only)
 * @param introspectionCacheTtl how long an introspection answer is reused (never past the token's
 *     expiry)
 */
public record IssuerSettings(
    URI issuer,
    String audience,
    TokenFormat tokenFormat,
    Set<String> algorithms,
    Set<String> tokenTypes,
    Set<String> requiredClaims,
    Duration clockSkew,
    Duration maxTokenLifetime,
    Duration httpTimeout,
    Optional<URI> jwksUri,
    Duration keyCacheTtl,
    Duration keyOutageTolerance,
    Duration keyRefetchInterval,
    ProfileSource userinfo,
    Optional<URI> userinfoEndpoint,
    Duration profileCacheTtl,
    Optional<URI> introspectionEndpoint,
    Optional<ClientCredentials> introspectionClient,
    Duration introspectionCacheTtl) {

  /** How the provider's access tokens are checked. */
  public enum TokenFormat { JWT, OPAQUE }

  /** Where a new user's profile comes from. */
  public enum ProfileSource {
    /** The OIDC userinfo endpoint; the token's own claims when the provider has none. */
    USERINFO,
    /** Only the profile claims inside the access token (or the introspection answer). */
    TOKEN_CLAIMS
  }

  /** The client id and secret we authenticate with (HTTP Basic, RFC 7662 section 2.1). */
  public record ClientCredentials(String clientId, String clientSecret) {
    public ClientCredentials {
      if (clientId == null || clientId.isBlank() || clientSecret == null || clientSecret.isEmpty()) {
        throw new IllegalArgumentException("introspection needs a client id and a client secret");
      }
    }

    @Override
    public String toString() {
      return "ClientCredentials[" + clientId + ", secret redacted]";
    }
  }

  /** Asymmetric JWS algorithms only: with a shared secret, anyone who verifies could also sign. */
  public static final Set<String> ASYMMETRIC_ALGORITHMS = Set.of(
      "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512");
  public static final Set<String> DEFAULT_TOKEN_TYPES = Set.of("at+jwt");
  public static final Set<String> DEFAULT_REQUIRED_CLAIMS = Set.of("jti");
  /** What RFC 9068 2.2 asks of every at+jwt token beyond the claims always checked. */
  public static final Set<String> AT_JWT_REQUIRED_CLAIMS = Set.of("client_id", "jti");
  static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

  public IssuerSettings {
    Objects.requireNonNull(issuer, "issuer must not be null");
    if (!issuer.isAbsolute() || issuer.getHost() == null) {
      throw new IllegalArgumentException("issuer must be an absolute URL: " + issuer);
    }
    if (audience == null || audience.isBlank()) {
      throw new IllegalArgumentException("audience must be set for issuer " + issuer);
    }
    Objects.requireNonNull(tokenFormat, "tokenFormat must not be null");
    algorithms = Set.copyOf(algorithms);
    if (algorithms.isEmpty() || !ASYMMETRIC_ALGORITHMS.containsAll(algorithms)) {
      throw new IllegalArgumentException("algorithms must be a non-empty subset of "
          + ASYMMETRIC_ALGORITHMS + ", was " + algorithms);
    }
    tokenTypes = Set.copyOf(tokenTypes);
    if (tokenTypes.isEmpty()) {
      throw new IllegalArgumentException("tokenTypes must not be empty");
    }
    requiredClaims = Set.copyOf(requiredClaims);
    requireBetween("clockSkew", clockSkew, Duration.ZERO, MAX_CLOCK_SKEW);
    requirePositive("maxTokenLifetime", maxTokenLifetime);
    requirePositive("httpTimeout", httpTimeout);
    Objects.requireNonNull(jwksUri, "jwksUri must not be null");
    requirePositive("keyCacheTtl", keyCacheTtl);
    requireBetween("keyOutageTolerance", keyOutageTolerance, Duration.ZERO, Duration.ofDays(7));
    requirePositive("keyRefetchInterval", keyRefetchInterval);
    if (keyRefetchInterval.compareTo(keyCacheTtl) >= 0) {
      throw new IllegalArgumentException("keyRefetchInterval must be shorter than keyCacheTtl");
    }
    Objects.requireNonNull(userinfo, "userinfo must not be null");
    Objects.requireNonNull(userinfoEndpoint, "userinfoEndpoint must not be null");
    requireBetween("profileCacheTtl", profileCacheTtl, Duration.ZERO, Duration.ofHours(1));
    Objects.requireNonNull(introspectionEndpoint, "introspectionEndpoint must not be null");
    Objects.requireNonNull(introspectionClient, "introspectionClient must not be null");
    requireBetween("introspectionCacheTtl", introspectionCacheTtl, Duration.ZERO, Duration.ofHours(1));
    if (tokenFormat == TokenFormat.OPAQUE && introspectionClient.isEmpty()) {
      throw new IllegalArgumentException("issuer " + issuer + " has opaque tokens but no introspection client");
    }
  }

  public static Builder builder(URI issuer, String audience) {
    return new Builder(issuer, audience);
  }

  /** The issuer exactly as its tokens name it. */
  public String issuerId() {
    return issuer.toString();
  }

  private static void requirePositive(String name, Duration value) {
    Objects.requireNonNull(value, name + " must not be null");
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }

  private static void requireBetween(String name, Duration value, Duration min, Duration max) {
    Objects.requireNonNull(value, name + " must not be null");
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(name + " must be between " + min + " and " + max);
    }
  }

  /** Defaults chosen for a public provider: strict types, keys cached five minutes. */
  public static final class Builder {
    private final URI issuer;
    private final String audience;
    private TokenFormat tokenFormat = TokenFormat.JWT;
    private Set<String> algorithms = ASYMMETRIC_ALGORITHMS;
    private Set<String> tokenTypes = DEFAULT_TOKEN_TYPES;
    private Set<String> requiredClaims = DEFAULT_REQUIRED_CLAIMS;
    private Duration clockSkew = Duration.ofSeconds(30);
    private Duration maxTokenLifetime = Duration.ofHours(24);
    private Duration httpTimeout = Duration.ofSeconds(2);
    private URI jwksUri;
    private Duration keyCacheTtl = Duration.ofMinutes(5);
    private Duration keyOutageTolerance = Duration.ofHours(1);
    private Duration keyRefetchInterval = Duration.ofSeconds(30);
    private ProfileSource userinfo = ProfileSource.USERINFO;
    private URI userinfoEndpoint;
    private Duration profileCacheTtl = Duration.ofSeconds(60);
    private URI introspectionEndpoint;
    private ClientCredentials introspectionClient;
    private Duration introspectionCacheTtl = Duration.ofSeconds(60);

    private Builder(URI issuer, String audience) {
      this.issuer = issuer;
      this.audience = audience;
    }

    public Builder tokenFormat(TokenFormat value) { tokenFormat = value; return this; }
    public Builder algorithms(Set<String> value) { algorithms = value; return this; }
    public Builder tokenTypes(Set<String> value) { tokenTypes = value; return this; }
    public Builder requiredClaims(Set<String> value) { requiredClaims = value; return this; }
    public Builder clockSkew(Duration value) { clockSkew = value; return this; }
    public Builder maxTokenLifetime(Duration value) { maxTokenLifetime = value; return this; }
    public Builder httpTimeout(Duration value) { httpTimeout = value; return this; }
    public Builder jwksUri(URI value) { jwksUri = value; return this; }
    public Builder keyCacheTtl(Duration value) { keyCacheTtl = value; return this; }
    public Builder keyOutageTolerance(Duration value) { keyOutageTolerance = value; return this; }
    public Builder keyRefetchInterval(Duration value) { keyRefetchInterval = value; return this; }
    public Builder userinfo(ProfileSource value) { userinfo = value; return this; }
    public Builder userinfoEndpoint(URI value) { userinfoEndpoint = value; return this; }
    public Builder profileCacheTtl(Duration value) { profileCacheTtl = value; return this; }
    public Builder introspectionEndpoint(URI value) { introspectionEndpoint = value; return this; }
    public Builder introspectionClient(ClientCredentials value) { introspectionClient = value; return this; }
    public Builder introspectionCacheTtl(Duration value) { introspectionCacheTtl = value; return this; }

    public IssuerSettings build() {
      return new IssuerSettings(issuer, audience, tokenFormat, algorithms, tokenTypes, requiredClaims, clockSkew,
          maxTokenLifetime, httpTimeout, Optional.ofNullable(jwksUri), keyCacheTtl,
          keyOutageTolerance, keyRefetchInterval, userinfo, Optional.ofNullable(userinfoEndpoint),
          profileCacheTtl, Optional.ofNullable(introspectionEndpoint),
          Optional.ofNullable(introspectionClient), introspectionCacheTtl);
    }
  }
}
