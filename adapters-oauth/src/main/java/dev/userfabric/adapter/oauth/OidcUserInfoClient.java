package dev.userfabric.adapter.oauth;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.userfabric.domain.model.AccessToken;
import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.model.IdentityProviderUnavailable;
import dev.userfabric.domain.model.InvalidAccessToken;
import dev.userfabric.domain.model.UserProfile;
import dev.userfabric.domain.model.UserProfileUnavailable;
import dev.userfabric.domain.port.out.UserProfileProvider;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Map;

/** Reads a user's profile from the provider's OIDC userinfo endpoint with their own token. */
public final class OidcUserInfoClient implements UserProfileProvider {

  static final int MAX_RESPONSE_BYTES = 64 * 1024;

  private final OidcDiscovery discovery;
  private final OAuthSettings settings;
  private final HttpClient http;

  public OidcUserInfoClient(OidcDiscovery discovery, OAuthSettings settings) {
    this.discovery = discovery;
    this.settings = settings;
    this.http = HttpClients.create(settings.httpTimeout());
  }

  @Override
  public UserProfile fetchProfile(AccessToken accessToken, Identity identity) {
    HttpRequest request = HttpRequest.newBuilder(discovery.metadata().userinfoEndpoint())
        .timeout(settings.httpTimeout())
        .header("Authorization", "Bearer " + accessToken.value())
        .header("Accept", "application/json")
        .GET()
        .build();
    try {
      HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        return switch (response.statusCode()) {
          case 200 -> profileOf(identity, readBounded(body));
          case 401 -> throw new InvalidAccessToken("userinfo refused the token");
          case 403 -> throw new InvalidAccessToken("userinfo forbade the token");
          default -> throw new IdentityProviderUnavailable(
              "userinfo answered HTTP " + response.statusCode());
        };
      }
    } catch (IOException e) {
      throw new IdentityProviderUnavailable("userinfo could not be reached", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IdentityProviderUnavailable("interrupted while calling userinfo", e);
    }
  }

  private static String readBounded(InputStream body) throws IOException {
    byte[] bytes = body.readNBytes(MAX_RESPONSE_BYTES + 1);
    if (bytes.length > MAX_RESPONSE_BYTES) {
      throw new UserProfileUnavailable("userinfo response is too large");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static UserProfile profileOf(Identity identity, String json) {
    try {
      Map<String, Object> claims = JSONObjectUtils.parse(json);
      // OIDC Core 5.3.2: a response for another subject must not be used.
      if (!identity.subject().equals(JSONObjectUtils.getString(claims, "sub"))) {
        throw new UserProfileUnavailable("userinfo answered for another subject");
      }
      return UserProfile.builder()
          .email(JSONObjectUtils.getString(claims, "email"))
          .emailVerified(flag(claims, "email_verified"))
          .name(JSONObjectUtils.getString(claims, "name"))
          .givenName(JSONObjectUtils.getString(claims, "given_name"))
          .familyName(JSONObjectUtils.getString(claims, "family_name"))
          .picture(JSONObjectUtils.getString(claims, "picture"))
          .locale(JSONObjectUtils.getString(claims, "locale"))
          .phoneNumber(JSONObjectUtils.getString(claims, "phone_number"))
          .phoneNumberVerified(flag(claims, "phone_number_verified"))
          .build();
    } catch (ParseException | IllegalArgumentException e) {
      throw new UserProfileUnavailable("userinfo response is not a usable profile", e);
    }
  }

  /** Some providers send the flags as strings ("true"); anything else reads as not verified. */
  private static boolean flag(Map<String, Object> claims, String name) {
    Object value = claims.get(name);
    return Boolean.TRUE.equals(value) || "true".equals(value);
  }
}
