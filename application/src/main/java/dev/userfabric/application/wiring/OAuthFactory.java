package dev.userfabric.application.wiring;

import dev.userfabric.adapter.oauth.DevelopmentIdentityProvider;
import dev.userfabric.adapter.oauth.NimbusAccessTokenVerifier;
import dev.userfabric.adapter.oauth.OAuthSettings;
import dev.userfabric.adapter.oauth.OidcDiscovery;
import dev.userfabric.adapter.oauth.OidcUserInfoClient;
import dev.userfabric.application.config.OAuthConfig;
import dev.userfabric.domain.port.out.AccessTokenVerifier;
import dev.userfabric.domain.port.out.UserProfileProvider;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured identity provider when {@code userfabric.oauth.issuer} is set; otherwise the
 * built-in development provider, announced loudly because it hands out tokens to anyone.
 */
@Factory
public class OAuthFactory {

  private static final Logger log = LoggerFactory.getLogger(OAuthFactory.class);
  private static final String DEV_AUDIENCE = "userfabric";

  @Singleton
  @Requires(property = "userfabric.oauth.issuer")
  OAuthSettings configuredProvider(OAuthConfig config) {
    if (config.audience() == null || config.audience().isBlank()) {
      throw new ConfigurationException(
          "userfabric.oauth.audience must be set when userfabric.oauth.issuer is set");
    }
    return settings(config, URI.create(config.issuer()), config.audience());
  }

  @Singleton
  @Requires(missingProperty = "userfabric.oauth.issuer")
  @Bean(preDestroy = "close")
  DevelopmentIdentityProvider developmentIdentityProvider(OAuthConfig config) {
    String audience = config.audience() != null ? config.audience() : DEV_AUDIENCE;
    try {
      DevelopmentIdentityProvider provider =
          DevelopmentIdentityProvider.start(config.devIssuerPort(), audience);
      log.warn("""

          ******************************************************************************
          DEVELOPMENT-ONLY identity provider at {}
          It gives a token for any user to anyone: {}/token?user=NAME
          Set userfabric.oauth.issuer (USERFABRIC_OAUTH_ISSUER) for real use.
          ******************************************************************************""",
          provider.issuer(), provider.issuer());
      return provider;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the development identity provider on port "
          + config.devIssuerPort() + " (set userfabric.oauth.dev-issuer-port)", e);
    }
  }

  @Singleton
  @Requires(missingProperty = "userfabric.oauth.issuer")
  OAuthSettings developmentProvider(OAuthConfig config, DevelopmentIdentityProvider provider) {
    return settings(config, provider.issuer(),
        config.audience() != null ? config.audience() : DEV_AUDIENCE);
  }

  @Singleton
  OidcDiscovery oidcDiscovery(OAuthSettings settings) {
    return new OidcDiscovery(settings);
  }

  @Singleton
  AccessTokenVerifier accessTokenVerifier(OidcDiscovery discovery, OAuthSettings settings) {
    return new NimbusAccessTokenVerifier(discovery, settings);
  }

  @Singleton
  UserProfileProvider userProfileProvider(OidcDiscovery discovery, OAuthSettings settings) {
    return new OidcUserInfoClient(discovery, settings);
  }

  private static OAuthSettings settings(OAuthConfig config, URI issuer, String audience) {
    return new OAuthSettings(issuer, audience, config.algorithms(), config.tokenTypes(),
        config.clockSkew(), config.httpTimeout(), config.keyCacheTtl());
  }
}
