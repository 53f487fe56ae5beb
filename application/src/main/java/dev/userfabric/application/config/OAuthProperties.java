package dev.userfabric.application.config;

import dev.userfabric.adapter.oauth.IssuerSettings;
import dev.userfabric.adapter.oauth.IssuerSettings.ClientCredentials;
import dev.userfabric.adapter.oauth.IssuerSettings.ProfileSource;
import dev.userfabric.adapter.oauth.IssuerSettings.TokenFormat;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.type.Argument;
import io.micronaut.core.value.PropertyResolver;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * {@code userfabric.oauth.*}: the trusted issuers. One issuer is configured with
 * {@code userfabric.oauth.issuer} and its settings beside it; several with
 * {@code userfabric.oauth.issuers.<name>.issuer} etc., where every setting a named issuer leaves
 * out is taken from {@code userfabric.oauth.*}, then from the built-in default. Without any
 * issuer the built-in development provider is used.
 */
public final class OAuthProperties {

  public static final String PREFIX = "userfabric.oauth";

  private final PropertyResolver properties;

  public OAuthProperties(PropertyResolver properties) {
    this.properties = properties;
  }

  public boolean anyIssuerConfigured() {
    return properties.containsProperty(PREFIX + ".issuer") || !issuerNames().isEmpty();
  }

  /** Every configured issuer, in a stable order (the single one first, then by name). */
  public List<IssuerSettings> issuers() {
    List<IssuerSettings> issuers = new ArrayList<>();
    if (properties.containsProperty(PREFIX + ".issuer")) {
      issuers.add(issuer(PREFIX, PREFIX));
    }
    for (String name : issuerNames()) {
      issuers.add(issuer(PREFIX + ".issuers." + name, PREFIX));
    }
    return issuers;
  }

  /** {@code userfabric.oauth.audience}, if set. */
  public Optional<String> audience() {
    return text(PREFIX, PREFIX, "audience");
  }

  /** The development provider's settings: everything but the issuer may still be configured. */
  public IssuerSettings developmentIssuer(URI issuer, String defaultAudience) {
    IssuerSettings.Builder builder = IssuerSettings.builder(issuer, audience().orElse(defaultAudience));
    apply(builder, PREFIX, PREFIX);
    return builder.build();
  }

  /**
   * {@code required-scope} when set (empty for none). Unset, it is {@code openid} when any issuer's
   * profiles come from the userinfo endpoint: OIDC Core 5.3 serves userinfo only to tokens from an
   * OpenID authentication request, so a token without it is refused before the provider is asked.
   */
  public Optional<String> requiredScope(List<IssuerSettings> issuers) {
    if (properties.containsProperty(PREFIX + ".required-scope")) {
      return properties.get(PREFIX + ".required-scope", String.class).filter(scope -> !scope.isBlank());
    }
    boolean userinfo = issuers.stream().anyMatch(issuer -> issuer.userinfo() == ProfileSource.USERINFO);
    return userinfo ? Optional.of("openid") : Optional.empty();
  }

  /** {@code read-scope}: what reading other users takes; the admin scope unless set. */
  public String readScope() {
    return properties.get(PREFIX + ".read-scope", String.class).filter(scope -> !scope.isBlank()).orElse(adminScope());
  }

  /** {@code profile-max-age}: refresh a known user's profile in CreateUser once it is older; unset, never. */
  public Optional<Duration> profileMaxAge() {
    Optional<Duration> age = properties.get(PREFIX + ".profile-max-age", Duration.class);
    age.ifPresent(value -> {
      if (value.isNegative() || value.isZero()) {
        throw new ConfigurationException(PREFIX + ".profile-max-age must be positive, not " + value);
      }
    });
    return age;
  }

  public String adminScope() {
    return properties.get(PREFIX + ".admin-scope", String.class).orElse("userfabric:admin");
  }

  public int developmentIssuerPort() {
    return properties.get(PREFIX + ".dev-issuer-port", Integer.class).orElse(8480);
  }

  private Set<String> issuerNames() {
    return new TreeSet<>(properties.getPropertyEntries(PREFIX + ".issuers"));
  }

  private IssuerSettings issuer(String own, String shared) {
    String issuer = text(own, own, "issuer")
        .orElseThrow(() -> new ConfigurationException(own + ".issuer must be set"));
    String audience = text(own, shared, "audience")
        .orElseThrow(() -> new ConfigurationException(own + ".audience must be set for issuer " + issuer));
    try {
      IssuerSettings.Builder builder = IssuerSettings.builder(URI.create(issuer), audience);
      apply(builder, own, shared);
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("invalid " + own + ".*: " + e.getMessage(), e);
    }
  }

  private void apply(IssuerSettings.Builder builder, String own, String shared) {
    set(own, shared, "token-format", String.class,
        value -> builder.tokenFormat(TokenFormat.valueOf(value.strip().toUpperCase(Locale.ROOT))));
    list(own, shared, "algorithms").ifPresent(builder::algorithms);
    list(own, shared, "token-types").ifPresent(builder::tokenTypes);
    list(own, shared, "required-claims").ifPresent(builder::requiredClaims);
    set(own, shared, "clock-skew", Duration.class, builder::clockSkew);
    set(own, shared, "max-token-lifetime", Duration.class, builder::maxTokenLifetime);
    set(own, shared, "http-timeout", Duration.class, builder::httpTimeout);
    set(own, own, "jwks-uri", String.class, value -> builder.jwksUri(URI.create(value)));
    set(own, shared, "key-cache-ttl", Duration.class, builder::keyCacheTtl);
    set(own, shared, "key-outage-tolerance", Duration.class, builder::keyOutageTolerance);
    set(own, shared, "key-refetch-interval", Duration.class, builder::keyRefetchInterval);
    set(own, shared, "userinfo", String.class, value -> builder.userinfo(
        ProfileSource.valueOf(value.strip().toUpperCase(Locale.ROOT).replace('-', '_'))));
    set(own, own, "userinfo-endpoint", String.class, value -> builder.userinfoEndpoint(URI.create(value)));
    set(own, shared, "profile-cache-ttl", Duration.class, builder::profileCacheTtl);
    set(own, own, "introspection-endpoint", String.class, value -> builder.introspectionEndpoint(URI.create(value)));
    Optional<String> clientId = text(own, own, "introspection-client-id");
    Optional<String> secret = text(own, own, "introspection-client-secret");
    if (clientId.isPresent() || secret.isPresent()) {
      builder.introspectionClient(new ClientCredentials(clientId.orElse(null), secret.orElse(null)));
    }
    set(own, shared, "introspection-cache-ttl", Duration.class, builder::introspectionCacheTtl);
  }

  private Optional<String> text(String own, String shared, String key) {
    return properties.get(own + "." + key, String.class)
        .or(() -> properties.get(shared + "." + key, String.class))
        .filter(value -> !value.isBlank());
  }

  private Optional<Set<String>> list(String own, String shared, String key) {
    Argument<List<String>> type = Argument.listOf(String.class);
    return properties.get(own + "." + key, type).or(() -> properties.get(shared + "." + key, type))
        .map(values -> {
          Set<String> trimmed = new HashSet<>();
          values.stream().map(String::strip).filter(value -> !value.isEmpty()).forEach(trimmed::add);
          return trimmed;
        });
  }

  private <T> void set(String own, String shared, String key, Class<T> type, Consumer<T> setter) {
    try {
      properties.get(own + "." + key, type).or(() -> properties.get(shared + "." + key, type)).ifPresent(setter);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("invalid " + own + "." + key + ": " + e.getMessage(), e);
    }
  }
}
