package dev.userfabric.adapter.oauth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.JWTProcessor;
import dev.userfabric.domain.model.AccessToken;
import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.model.IdentityProviderUnavailable;
import dev.userfabric.domain.model.InvalidAccessToken;
import dev.userfabric.domain.port.out.AccessTokenVerifier;
import java.net.MalformedURLException;
import java.text.ParseException;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Verifies JWT access tokens with Nimbus against the keys the issuer publishes: signature by an
 * allowed algorithm, exact issuer, our audience, time window, and a subject.
 */
public final class NimbusAccessTokenVerifier implements AccessTokenVerifier {

  /** Real access tokens are a few KiB; anything far larger is refused before parsing. */
  static final int MAX_TOKEN_LENGTH = 16 * 1024;
  private static final int KEY_SET_SIZE_LIMIT = 256 * 1024;

  private final OidcDiscovery discovery;
  private final OAuthSettings settings;
  private volatile JWTProcessor<SecurityContext> processor;

  public NimbusAccessTokenVerifier(OidcDiscovery discovery, OAuthSettings settings) {
    this.discovery = discovery;
    this.settings = settings;
  }

  @Override
  public Identity verify(AccessToken accessToken) {
    String token = accessToken.value();
    if (token.length() > MAX_TOKEN_LENGTH) {
      throw new InvalidAccessToken("token is too large");
    }
    JWTClaimsSet claims;
    try {
      SignedJWT jwt = SignedJWT.parse(token); // JWS compact form only: no JWE, no unsecured JWT
      claims = processor().process(jwt, null);
    } catch (ParseException e) {
      throw new InvalidAccessToken("token is not a signed JWT", e);
    } catch (BadJOSEException e) {
      throw new InvalidAccessToken("token was refused: " + e.getMessage(), e);
    } catch (KeySourceException e) {
      throw new IdentityProviderUnavailable("signing keys could not be fetched", e);
    } catch (JOSEException e) {
      throw new InvalidAccessToken("token signature could not be checked", e);
    }
    try {
      return new Identity(claims.getIssuer(), claims.getSubject());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new InvalidAccessToken("token names no usable subject", e);
    }
  }

  private JWTProcessor<SecurityContext> processor() {
    JWTProcessor<SecurityContext> current = processor;
    return current != null ? current : buildProcessor();
  }

  private synchronized JWTProcessor<SecurityContext> buildProcessor() {
    if (processor != null) {
      return processor;
    }
    ProviderMetadata metadata = discovery.metadata();
    DefaultJWTProcessor<SecurityContext> built = new DefaultJWTProcessor<>();
    built.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(settings.tokenTypes().stream()
        .map(JOSEObjectType::new).collect(Collectors.toSet())));
    built.setJWSKeySelector(new JWSVerificationKeySelector<>(
        settings.algorithms().stream().map(JWSAlgorithm::parse).collect(Collectors.toSet()),
        keySource(metadata)));
    DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
        // Nimbus probes these sets with contains(null), which immutable sets refuse.
        new HashSet<>(Set.of(settings.audience())),
        new JWTClaimsSet.Builder().issuer(settings.issuer().toString()).build(),
        new HashSet<>(Set.of("iss", "sub", "aud", "exp")),
        new HashSet<>());
    claims.setMaxClockSkew((int) settings.clockSkew().toSeconds());
    built.setJWTClaimsSetVerifier(claims);
    processor = built;
    return built;
  }

  private JWKSource<SecurityContext> keySource(ProviderMetadata metadata) {
    int timeoutMillis = (int) settings.httpTimeout().toMillis();
    long ttlMillis = settings.keyCacheTtl().toMillis();
    try {
      return JWKSourceBuilder.<SecurityContext>create(metadata.jwksUri().toURL(),
              new DefaultResourceRetriever(timeoutMillis, timeoutMillis, KEY_SET_SIZE_LIMIT))
          .cache(ttlMillis, timeoutMillis)
          .refreshAheadCache(true)
          .retrying(true)
          // Keys already fetched keep verifying through a provider outage, for a bounded time.
          .outageTolerant(ttlMillis * 6)
          .build();
    } catch (MalformedURLException e) {
      throw new IdentityProviderUnavailable("jwks_uri is not a URL", e);
    }
  }
}
