package dev.userfabric.adapter.oauth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import java.io.IOException;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.userfabric.domain.model.IdentityProviderUnavailable;
import dev.userfabric.domain.model.InvalidAccessToken;
import java.net.MalformedURLException;
import java.security.Key;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a JWS against one issuer's published keys with Nimbus: algorithm from our allow-list,
 * a key the key set allows for this (use, key_ops, alg, curve, size), and the signature. Claims are
 * checked afterwards by {@link TokenClaims}, never before the signature.
 */
final class KeySetVerifier {

  static final int MIN_RSA_BITS = 2048;
  private static final int KEY_SET_SIZE_LIMIT = 256 * 1024;

  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
  private final JWKSource<SecurityContext> keySource;

  KeySetVerifier(IssuerSettings settings, URI jwksUri, IdentityProviderMetrics metrics) {
    Set<JWSAlgorithm> allowed =
        settings.algorithms().stream().map(JWSAlgorithm::parse).collect(Collectors.toSet());
    // typ is checked by TrustedIssuer before this runs; claims by TokenClaims after.
    processor.setJWSTypeVerifier((type, context) -> { });
    processor.setJWTClaimsSetVerifier(null);
    keySource = keySource(settings, jwksUri, metrics);
    processor.setJWSKeySelector(new StrictKeySelector(allowed, keySource));
  }

  /** Fetches the key set into the cache now, so that the first call does not wait for it. */
  void prefetch() {
    try {
      keySource.get(new JWKSelector(new JWKMatcher.Builder().build()), null);
    } catch (KeySourceException e) {
      throw new IdentityProviderUnavailable("signing keys could not be fetched", e);
    }
  }

  JWTClaimsSet verify(SignedJWT jwt) {
    try {
      return processor.process(jwt, null);
    } catch (RateLimitReachedException e) {
      // An unknown kid while the refetch budget is spent: the token is refused, the IdP spared.
      throw new InvalidAccessToken("no key for kid, and the key set was fetched moments ago", e);
    } catch (KeySourceException e) {
      throw new IdentityProviderUnavailable("signing keys could not be fetched", e);
    } catch (BadJOSEException e) {
      throw new InvalidAccessToken("signature refused: " + e.getMessage(), e);
    } catch (JOSEException e) {
      throw new InvalidAccessToken("signature could not be checked", e);
    }
  }

  private static JWKSource<SecurityContext> keySource(IssuerSettings settings, URI jwksUri,
      IdentityProviderMetrics metrics) {
    int timeoutMillis = (int) settings.httpTimeout().toMillis();
    long ttl = settings.keyCacheTtl().toMillis();
    // Nimbus wants refresh-ahead + refresh timeout to fit in the TTL; short test TTLs need this.
    long refreshTimeout = Math.min(2L * timeoutMillis, ttl / 3);
    long refreshAhead = Math.min(30_000, ttl / 3);
    try {
      ResourceRetriever http = new DefaultResourceRetriever(timeoutMillis, timeoutMillis, KEY_SET_SIZE_LIMIT);
      ResourceRetriever timed = url -> {
        long started = System.nanoTime();
        try {
          Resource resource = http.retrieveResource(url);
          metrics.timed("jwks", "ok", System.nanoTime() - started);
          return resource;
        } catch (IOException | RuntimeException e) {
          metrics.timed("jwks", "unavailable", System.nanoTime() - started);
          throw e;
        }
      };
      return JWKSourceBuilder.<SecurityContext>create(jwksUri.toURL(), timed)
          .cache(ttl, refreshTimeout, metrics.cacheEvents())
          .refreshAheadCache(refreshAhead, true, metrics.cacheEvents())
          .rateLimited(settings.keyRefetchInterval().toMillis(), metrics.rateLimitEvents())
          .retrying(true)
          .outageTolerant(settings.keyOutageTolerance().plus(Duration.ofMillis(ttl)).toMillis())
          .build();
    } catch (MalformedURLException | IllegalArgumentException e) {
      throw new IdentityProviderUnavailable("jwks_uri is not a usable URL", e);
    }
  }

  /**
   * Nimbus's selector, with a stricter idea of a usable key: the key set's own restrictions
   * (use, key_ops, alg) are honoured, RSA keys must have 2048 bits or more and must not be ROCA
   * keys, EC keys must be on the algorithm's curve. Each key of the set is converted to a JDK key
   * and judged once, not on every call: decoding a modulus and its ROCA check cost more than a
   * third of the RSA verification itself.
   */
  static final class StrictKeySelector extends JWSVerificationKeySelector<SecurityContext> {

    /** More keys than any issuer publishes at once, even across a few rotations. */
    private static final int MAX_CONVERTED = 64;

    /** By the JWK's value: a refreshed key set holds new objects, equal for the same keys. */
    private final Map<JWK, Optional<Key>> converted = new ConcurrentHashMap<>();

    StrictKeySelector(Set<JWSAlgorithm> allowed, JWKSource<SecurityContext> keys) {
      super(allowed, keys);
    }

    @Override
    public List<Key> selectJWSKeys(JWSHeader header, SecurityContext context) throws KeySourceException {
      JWKMatcher matcher = createJWKMatcher(header);
      if (matcher == null) {
        return List.of();
      }
      List<JWK> matches = getJWKSource().get(new JWKSelector(matcher), context);
      List<Key> keys = new ArrayList<>(matches.size());
      for (JWK jwk : matches) {
        Optional<Key> usable = converted.get(jwk);
        if (usable == null) {
          if (converted.size() >= MAX_CONVERTED) {
            converted.clear(); // rotated many times: start again from the keys in use
          }
          usable = usableKey(jwk);
          converted.put(jwk, usable);
        }
        usable.ifPresent(keys::add);
      }
      return keys;
    }

    /** The JDK accepts ROCA keys (CVE-2017-15361); we do not: their private key can be computed. */
    private static Optional<Key> usableKey(JWK jwk) {
      try {
        Key key = switch (jwk) {
          case RSAKey rsa -> rsa.toRSAPublicKey();
          case ECKey ec -> ec.toECPublicKey();
          default -> null; // RSA and EC are the only families an issuer may be set to accept
        };
        if (key instanceof RSAPublicKey rsa
            && (rsa.getModulus().bitLength() < MIN_RSA_BITS || RocaFingerprint.matches(rsa.getModulus()))) {
          return Optional.empty();
        }
        return Optional.ofNullable(key);
      } catch (JOSEException e) {
        return Optional.empty(); // not a valid key: as Nimbus does, it is skipped
      }
    }

    @Override
    protected JWKMatcher createJWKMatcher(JWSHeader header) {
      JWSAlgorithm algorithm = header.getAlgorithm();
      if (!isAllowed(algorithm)) {
        return null;
      }
      // The RSA key size is checked on the converted key (usableKey), once per key.
      JWKMatcher.Builder matcher = new JWKMatcher.Builder()
          .keyType(KeyType.forAlgorithm(algorithm))
          .keyID(header.getKeyID())
          .keyUses(KeyUse.SIGNATURE, null)
          .keyOperations(KeyOperation.VERIFY, null)
          .algorithms(algorithm, null);
      if (JWSAlgorithm.Family.EC.contains(algorithm)) {
        matcher.curves(Curve.forJWSAlgorithm(algorithm));
      }
      return matcher.build();
    }
  }
}
