package dev.userfabric.adapter.oauth;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.userfabric.domain.model.IdentityProviderUnavailable;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.util.Map;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The provider's endpoints: configured ones win, the rest come from its OpenID discovery document,
 * read on first need and kept. Until it has been read every call tries again, so the service
 * starts (and recovers) while the provider is down. A provider whose endpoints are all configured
 * is never asked.
 */
public final class OidcDiscovery {

  private static final int MAX_DOCUMENT_BYTES = 64 * 1024;

  private final IssuerSettings settings;
  private final HttpClient http;
  private final IdentityProviderMetrics metrics;
  private volatile ProviderMetadata metadata;

  public OidcDiscovery(IssuerSettings settings) {
    this(settings, new IdentityProviderMetrics(io.micrometer.core.instrument.Metrics.globalRegistry, settings.issuerId()));
  }

  OidcDiscovery(IssuerSettings settings, IdentityProviderMetrics metrics) {
    this.metrics = metrics;
    this.settings = settings;
    this.http = HttpClients.create(settings.httpTimeout());
    if (everyEndpointConfigured()) {
      metadata = new ProviderMetadata(settings.jwksUri(), settings.userinfoEndpoint(),
          settings.introspectionEndpoint());
    }
  }

  ProviderMetadata metadata() {
    ProviderMetadata known = metadata;
    return known != null ? known : discover();
  }

  private boolean everyEndpointConfigured() {
    boolean keys = settings.tokenFormat() == IssuerSettings.TokenFormat.OPAQUE || settings.jwksUri().isPresent();
    boolean introspection = settings.tokenFormat() == IssuerSettings.TokenFormat.JWT
        || settings.introspectionEndpoint().isPresent();
    boolean profiles = settings.userinfo() == IssuerSettings.ProfileSource.TOKEN_CLAIMS
        || settings.userinfoEndpoint().isPresent();
    return keys && introspection && profiles;
  }

  private synchronized ProviderMetadata discover() {
    if (metadata != null) {
      return metadata;
    }
    return metrics.timed("discovery", this::fetch);
  }

  private ProviderMetadata fetch() {
    URI location = URI.create(stripTrailingSlash(settings.issuerId()) + "/.well-known/openid-configuration");
    try {
      HttpResponse<byte[]> response = http.send(
          HttpRequest.newBuilder(location).timeout(settings.httpTimeout())
              .header("Accept", "application/json").GET().build(),
          HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new IdentityProviderUnavailable("discovery answered HTTP " + response.statusCode());
      }
      if (response.body().length > MAX_DOCUMENT_BYTES) {
        throw new IdentityProviderUnavailable("discovery document is too large");
      }
      metadata = parse(JSONObjectUtils.parse(new String(response.body(), StandardCharsets.UTF_8)));
      return metadata;
    } catch (IOException | ParseException | IllegalArgumentException e) {
      throw new IdentityProviderUnavailable("discovery document could not be read", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IdentityProviderUnavailable("interrupted while reading discovery", e);
    }
  }

  private ProviderMetadata parse(Map<String, Object> document) throws ParseException {
    // OIDC Discovery 4.3: the issuer in the document must be exactly the one we asked.
    if (!settings.issuerId().equals(JSONObjectUtils.getString(document, "issuer"))) {
      throw new IllegalArgumentException("discovery names another issuer");
    }
    ProviderMetadata found = new ProviderMetadata(
        settings.jwksUri().or(() -> uri(document, "jwks_uri")),
        settings.userinfoEndpoint().or(() -> uri(document, "userinfo_endpoint")),
        settings.introspectionEndpoint().or(() -> uri(document, "introspection_endpoint")));
    if (settings.tokenFormat() == IssuerSettings.TokenFormat.JWT && found.jwksUri().isEmpty()) {
      throw new IllegalArgumentException("discovery names no jwks_uri");
    }
    if (settings.tokenFormat() == IssuerSettings.TokenFormat.OPAQUE && found.introspectionEndpoint().isEmpty()) {
      throw new IllegalArgumentException("discovery names no introspection_endpoint");
    }
    return found;
  }

  private static Optional<URI> uri(Map<String, Object> document, String name) {
    try {
      return Optional.ofNullable(JSONObjectUtils.getURI(document, name));
    } catch (ParseException e) {
      throw new IllegalArgumentException(name + " is not a URI", e);
    }
  }

  private static String stripTrailingSlash(String issuer) {
    return issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
  }
}
