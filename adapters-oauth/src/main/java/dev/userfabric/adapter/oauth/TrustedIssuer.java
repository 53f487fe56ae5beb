package dev.userfabric.adapter.oauth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.SignedJWT;
import dev.userfabric.domain.model.AccessToken;
import dev.userfabric.domain.model.IdentityProviderUnavailable;
import dev.userfabric.domain.model.InvalidAccessToken;
import dev.userfabric.domain.model.UserProfile;
import dev.userfabric.domain.model.VerifiedAccessToken;
import java.time.Duration;
import java.net.URI;
import java.text.ParseException;
import java.time.InstantSource;
import java.util.Base64;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.function.UnaryOperator;
import io.opentelemetry.api.trace.Tracer;

/** One configured issuer: its keys or introspection endpoint, and its userinfo endpoint. */
final class TrustedIssuer {

  private static final String AT_JWT = "at+jwt";

  private final IssuerSettings settings;
  private final OidcDiscovery discovery;
  private final InstantSource clock;
  private final Set<String> tokenTypes;
  private final TokenIntrospector introspector;
  private final OidcUserInfoClient userinfo;
  private final SharedProfileFetches profileFetches;
  private final IdentityProviderMetrics metrics;
  private volatile KeySetVerifier keys;

  TrustedIssuer(IssuerSettings settings, InstantSource clock, io.micrometer.core.instrument.MeterRegistry registry,
      UnaryOperator<Duration> callerBudget, Tracer tracer) {
    this.settings = settings;
    this.clock = clock;
    this.metrics = new IdentityProviderMetrics(registry, settings.issuerId());
    this.discovery = new OidcDiscovery(settings, metrics);
    this.tokenTypes = settings.tokenTypes().stream().map(TrustedIssuer::mediaType).collect(Collectors.toSet());
    this.introspector = new TokenIntrospector(settings, discovery, clock, metrics, callerBudget);
    this.userinfo = new OidcUserInfoClient(settings, clock, callerBudget, tracer);
    this.profileFetches = new SharedProfileFetches(settings.profileCacheTtl(), clock, callerBudget);
  }

  IssuerSettings settings() {
    return settings;
  }

  VerifiedAccessToken verifyJwt(ParsedJws jwt) {
    checkHeader(jwt.getHeader());
    keys().verify(jwt);
    // The payload as sent, not Nimbus's claims set: that one turns a numeric sub into a string.
    Map<String, Object> claims;
    try {
      claims = jwt.claims();
    } catch (ParseException e) {
      throw new InvalidAccessToken("claims are not a JSON object", e);
    }
    Set<String> required = new HashSet<>(settings.requiredClaims());
    if (AT_JWT.equals(mediaType(jwt.getHeader().getType().getType()))) {
      required.addAll(IssuerSettings.AT_JWT_REQUIRED_CLAIMS);
    }
    return TokenClaims.verify(settings, TokenClaims.Source.JWT, claims, required, () -> canonical(jwt), clock.instant());
  }

  /**
   * The token as every encoding of it decodes: a JWS has several encodings that verify (unused
   * low bits in a base64url character, ECDSA's s or n-s), and a revocation must catch them all.
   * The signature is left out: it adds nothing to which token this is.
   */
  private static String canonical(SignedJWT jwt) {
    Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
    return encoder.encodeToString(jwt.getHeader().toBase64URL().decode()) + "."
        + encoder.encodeToString(jwt.getPayload().toBase64URL().decode());
  }

  Optional<VerifiedAccessToken> introspect(String rawToken) {
    return introspector.introspect(rawToken);
  }

  /** @param reuseRecent whether a profile fetched a moment ago will do (not for a refresh) */
  UserProfile profile(AccessToken accessToken, VerifiedAccessToken verified, boolean reuseRecent) {
    if (settings.userinfo() == IssuerSettings.ProfileSource.TOKEN_CLAIMS) {
      return verified.claimedProfile();
    }
    Optional<URI> endpoint = discovery.metadata().userinfoEndpoint();
    if (endpoint.isEmpty()) {
      return verified.claimedProfile();
    }
    return profileFetches.fetch(verified.identity(),
        () -> metrics.timed("userinfo", () -> userinfo.fetchProfile(endpoint.get(), accessToken, verified)),
        reuseRecent);
  }

  /** RFC 8725 3.11 and RFC 9068 4: the token says what it is, and we only take access tokens. */
  private void checkHeader(JWSHeader header) {
    if (!settings.algorithms().contains(header.getAlgorithm().getName())) {
      throw new InvalidAccessToken("alg " + header.getAlgorithm() + " is not allowed for this issuer");
    }
    JOSEObjectType type = header.getType();
    if (type == null || !tokenTypes.contains(mediaType(type.getType()))) {
      throw new InvalidAccessToken("typ " + (type == null ? "is missing" : "is not allowed for this issuer"));
    }
  }

  /** "application/at+jwt" and "AT+JWT" both mean at+jwt (RFC 7515 4.1.9). */
  private static String mediaType(String type) {
    String lower = type.strip().toLowerCase(Locale.ROOT);
    return lower.startsWith("application/") ? lower.substring("application/".length()) : lower;
  }

  /** Discovery, and the signing keys of a JWT issuer, fetched ahead of the first call. */
  void prefetch() {
    discovery.metadata();
    if (settings.tokenFormat() == IssuerSettings.TokenFormat.JWT) {
      keys().prefetch();
    }
  }

  private KeySetVerifier keys() {
    KeySetVerifier known = keys;
    if (known != null) {
      return known;
    }
    synchronized (this) {
      if (keys == null) {
        URI jwksUri = discovery.metadata().jwksUri()
            .orElseThrow(() -> new IdentityProviderUnavailable("issuer publishes no jwks_uri"));
        keys = new KeySetVerifier(settings, jwksUri, metrics);
      }
      return keys;
    }
  }

}
