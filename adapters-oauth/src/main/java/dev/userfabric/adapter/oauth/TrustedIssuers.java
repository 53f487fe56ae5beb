package dev.userfabric.adapter.oauth;

import dev.userfabric.domain.model.AccessToken;
import dev.userfabric.domain.model.UserProfile;
import dev.userfabric.domain.model.VerifiedAccessToken;
import dev.userfabric.domain.port.out.AccessTokenVerifier;
import dev.userfabric.domain.port.out.UserProfileProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The allow-list of identity providers. A token is checked only by the issuer it names, with that
 * issuer's keys; opaque tokens are introspected by the opaque-token issuers in configuration
 * order. A profile is fetched from the issuer that vouched for the token.
 */
public final class TrustedIssuers {

  private static final Logger log = LoggerFactory.getLogger(TrustedIssuers.class);

  private final Map<String, TrustedIssuer> byIssuer = new LinkedHashMap<>();
  private final OAuthAccessTokenVerifier verifier;

  public TrustedIssuers(List<IssuerSettings> issuers) {
    this(issuers, InstantSource.system(), Metrics.globalRegistry);
  }

  /** @param registry where requests to the providers and key refreshes are measured */
  public TrustedIssuers(List<IssuerSettings> issuers, MeterRegistry registry) {
    this(issuers, InstantSource.system(), registry);
  }

  TrustedIssuers(List<IssuerSettings> issuers, InstantSource clock) {
    this(issuers, clock, Metrics.globalRegistry);
  }

  /**
   * @param callerBudget the timeout for one request to a provider: the one given, or less when the
   *     caller waiting for it will not wait that long; it throws {@code CallAbandoned} when the
   *     caller has gone
   * @param openTelemetry where the spans of the token check and of each userinfo request go,
   *     children of the call's span
   */
  public TrustedIssuers(List<IssuerSettings> issuers, MeterRegistry registry, UnaryOperator<Duration> callerBudget,
      OpenTelemetry openTelemetry) {
    this(issuers, InstantSource.system(), registry, callerBudget, openTelemetry.getTracer("dev.userfabric.oauth"));
  }

  TrustedIssuers(List<IssuerSettings> issuers, InstantSource clock, MeterRegistry registry) {
    this(issuers, clock, registry, UnaryOperator.identity(), OpenTelemetry.noop().getTracer("dev.userfabric.oauth"));
  }

  TrustedIssuers(List<IssuerSettings> issuers, InstantSource clock, MeterRegistry registry,
      UnaryOperator<Duration> callerBudget, Tracer tracer) {
    if (issuers.isEmpty()) {
      throw new IllegalArgumentException("at least one issuer must be trusted");
    }
    for (IssuerSettings settings : issuers) {
      if (byIssuer.putIfAbsent(settings.issuerId(), new TrustedIssuer(settings, clock, registry, callerBudget, tracer)) != null) {
        throw new IllegalArgumentException("issuer " + settings.issuerId() + " is configured twice");
      }
    }
    verifier = new OAuthAccessTokenVerifier(this, clock, tracer); // one, so that its verified-token cache is shared
  }

  public List<IssuerSettings> settings() {
    return byIssuer.values().stream().map(TrustedIssuer::settings).toList();
  }

  /**
   * Fetches every issuer's discovery document and signing keys now, each on its own thread, so
   * that the first call after a start does not pay for them. A provider that cannot be reached is
   * logged and left to the first call, as before: it must not keep the service from starting.
   */
  public void prefetchInBackground() {
    for (TrustedIssuer issuer : byIssuer.values()) {
      Thread.ofVirtual().name("issuer-prefetch").start(() -> {
        try {
          issuer.prefetch();
        } catch (RuntimeException e) {
          log.warn("issuer {}: discovery or keys not fetched at start ({}); the first call tries again",
              issuer.settings().issuerId(), e.getMessage());
        }
      });
    }
  }

  /** Checks access tokens against these issuers. */
  public AccessTokenVerifier accessTokenVerifier() {
    return verifier;
  }

  /** Fetches profiles from the issuer that vouched for the token. */
  public UserProfileProvider userProfileProvider() {
    return new UserProfileProvider() {
      @Override
      public UserProfile fetchProfile(AccessToken accessToken, VerifiedAccessToken verified) {
        return issuerOf(verified).profile(accessToken, verified, true);
      }

      @Override
      public UserProfile fetchCurrentProfile(AccessToken accessToken, VerifiedAccessToken verified) {
        return issuerOf(verified).profile(accessToken, verified, false);
      }
    };
  }

  Optional<TrustedIssuer> jwtIssuer(String issuer) {
    return Optional.ofNullable(byIssuer.get(issuer))
        .filter(trusted -> trusted.settings().tokenFormat() == IssuerSettings.TokenFormat.JWT);
  }

  List<TrustedIssuer> opaqueIssuers() {
    return byIssuer.values().stream()
        .filter(trusted -> trusted.settings().tokenFormat() == IssuerSettings.TokenFormat.OPAQUE)
        .toList();
  }

  private TrustedIssuer issuerOf(VerifiedAccessToken verified) {
    TrustedIssuer issuer = byIssuer.get(verified.identity().issuer());
    if (issuer == null) { // cannot happen for tokens we verified; refuse rather than guess
      throw new IllegalStateException("a verified token names an issuer we do not trust"); // our bug
    }
    return issuer;
  }
}
