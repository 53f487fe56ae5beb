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

/**
 * Reads the provider's OpenID discovery document on first need and keeps it. Until it has been
 * read, every call tries again, so the service starts (and recovers) while the provider is down.
 */
public final class OidcDiscovery {

  private final OAuthSettings settings;
  private final HttpClient http;
  private volatile ProviderMetadata metadata;

  public OidcDiscovery(OAuthSettings settings) {
    this.settings = settings;
    this.http = HttpClients.create(settings.httpTimeout());
  }

  ProviderMetadata metadata() {
    ProviderMetadata known = metadata;
    return known != null ? known : discover();
  }

  private synchronized ProviderMetadata discover() {
    if (metadata != null) {
      return metadata;
    }
    URI location = URI.create(stripTrailingSlash(settings.issuer().toString())
        + "/.well-known/openid-configuration");
    try {
      HttpResponse<String> response = http.send(
          HttpRequest.newBuilder(location).timeout(settings.httpTimeout())
              .header("Accept", "application/json").GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IdentityProviderUnavailable(
            "discovery answered HTTP " + response.statusCode());
      }
      metadata = parse(JSONObjectUtils.parse(response.body()));
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
    String issuer = JSONObjectUtils.getString(document, "issuer");
    if (!settings.issuer().toString().equals(issuer)) {
      throw new IllegalArgumentException("discovery names another issuer");
    }
    URI jwksUri = JSONObjectUtils.getURI(document, "jwks_uri");
    URI userinfo = JSONObjectUtils.getURI(document, "userinfo_endpoint");
    if (jwksUri == null || userinfo == null) {
      throw new IllegalArgumentException("discovery lacks jwks_uri or userinfo_endpoint");
    }
    return new ProviderMetadata(settings.issuer(), jwksUri, userinfo);
  }

  private static String stripTrailingSlash(String issuer) {
    return issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
  }
}
