package dev.userfabric.application.wiring;

import dev.userfabric.adapter.rpc.GrpcCallerBudget;
import io.opentelemetry.api.OpenTelemetry;
import dev.userfabric.adapter.oauth.DevelopmentIdentityProvider;
import dev.userfabric.adapter.oauth.IssuerSettings;
import dev.userfabric.adapter.oauth.TrustedIssuers;
import dev.userfabric.application.config.OAuthProperties;
import dev.userfabric.domain.port.out.AccessTokenVerifier;
import dev.userfabric.domain.port.out.UserProfileProvider;
import dev.userfabric.domain.service.AccessPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured issuers when any is set; otherwise the built-in development provider, announced
 * loudly because it hands out tokens to anyone.
 */
@Factory
public class OAuthFactory {

  private static final Logger log = LoggerFactory.getLogger(OAuthFactory.class);
  private static final String DEV_AUDIENCE = "userfabric";

  /** The trusted issuers, and the development provider when it is the one. */
  public record IdentityProviders(TrustedIssuers trusted, Optional<DevelopmentIdentityProvider> development)
      implements AutoCloseable {

    public Duration longestTokenLifetime() {
      return trusted.settings().stream().map(IssuerSettings::maxTokenLifetime).max(Duration::compareTo).orElseThrow();
    }

    @Override
    public void close() {
      development.ifPresent(DevelopmentIdentityProvider::close);
    }
  }

  @Singleton
  OAuthProperties oauthProperties(Environment environment) {
    return new OAuthProperties(environment);
  }

  @Singleton
  @Bean(preDestroy = "close")
  IdentityProviders identityProviders(OAuthProperties properties, MeterRegistry registry,
      GrpcCallerBudget callerBudget, OpenTelemetry openTelemetry) {
    if (properties.anyIssuerConfigured()) {
      TrustedIssuers trusted = new TrustedIssuers(properties.issuers(), registry, callerBudget, openTelemetry);
      trusted.prefetchInBackground(); // the first call should not wait for discovery and keys
      return new IdentityProviders(trusted, Optional.empty());
    }
    DevelopmentIdentityProvider development = startDevelopmentProvider(properties);
    IssuerSettings settings = properties.developmentIssuer(development.issuer(), DEV_AUDIENCE);
    return new IdentityProviders(new TrustedIssuers(List.of(settings), registry, callerBudget, openTelemetry), Optional.of(development));
  }

  @Singleton
  AccessTokenVerifier accessTokenVerifier(IdentityProviders providers) {
    return providers.trusted().accessTokenVerifier();
  }

  @Singleton
  UserProfileProvider userProfileProvider(IdentityProviders providers) {
    return providers.trusted().userProfileProvider();
  }

  @Singleton
  AccessPolicy accessPolicy(OAuthProperties properties, IdentityProviders providers) {
    return new AccessPolicy(properties.requiredScope(providers.trusted().settings()), properties.adminScope(),
        properties.readScope());
  }

  private static DevelopmentIdentityProvider startDevelopmentProvider(OAuthProperties properties) {
    int port = properties.developmentIssuerPort();
    try {
      DevelopmentIdentityProvider provider =
          DevelopmentIdentityProvider.start(port, properties.audience().orElse(DEV_AUDIENCE));
      log.warn("""

          ******************************************************************************
          DEVELOPMENT-ONLY identity provider at {}
          It gives a token for any user to anyone: {}/token?user=NAME
          Set userfabric.oauth.issuer (USERFABRIC_OAUTH_ISSUER) for real use.
          ******************************************************************************""",
          provider.issuer(), provider.issuer());
      return provider;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the development identity provider on port " + port
          + " (set userfabric.oauth.dev-issuer-port)", e);
    }
  }
}
