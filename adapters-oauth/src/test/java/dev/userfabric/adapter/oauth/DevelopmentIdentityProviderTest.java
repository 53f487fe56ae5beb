package dev.userfabric.adapter.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userfabric.domain.model.AccessToken;
import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.model.UserProfile;
import dev.userfabric.domain.model.VerifiedAccessToken;
import java.util.List;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The development provider must satisfy our own strict adapters, or `Run` would not work. */
class DevelopmentIdentityProviderTest {

  @Test
  public void issuesTokensOurVerifierAcceptsAndServesTheirProfile() throws Exception {
    try (DevelopmentIdentityProvider dev = DevelopmentIdentityProvider.start(0, "userfabric")) {
      TrustedIssuers issuers = new TrustedIssuers(List.of(IssuerSettings.builder(dev.issuer(), "userfabric").build()));
      AccessToken token = new AccessToken(dev.issueToken("alice"));

      VerifiedAccessToken verified = issuers.accessTokenVerifier().verify(token);
      UserProfile profile = issuers.userProfileProvider().fetchProfile(token, verified);

      assertEquals(new Identity(dev.issuer().toString(), "alice"), verified.identity());
      assertEquals(VerifiedAccessToken.Bearer.PERSON, verified.bearer());
      assertEquals(Optional.of("alice@dev.userfabric.test"), profile.email());
    }
  }

  @Test
  public void handsOutTokensOverHttpAndRefusesBadUserNames() throws Exception {
    try (DevelopmentIdentityProvider dev = DevelopmentIdentityProvider.start(0, "userfabric")) {
      HttpClient http = HttpClient.newHttpClient();

      HttpResponse<String> ok = http.send(HttpRequest.newBuilder(
          URI.create(dev.issuer() + "/token?user=bob")).build(), HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> bad = http.send(HttpRequest.newBuilder(
          URI.create(dev.issuer() + "/token?user=%00")).build(), HttpResponse.BodyHandlers.ofString());

      assertEquals(200, ok.statusCode());
      assertTrue(ok.body().contains("\"access_token\""));
      assertEquals(400, bad.statusCode());
    }
  }

  @Test
  public void handsOutTheScopesAskedForSoAdminCallsCanBeTried() throws Exception {
    try (DevelopmentIdentityProvider dev = DevelopmentIdentityProvider.start(0, "userfabric")) {
      HttpClient http = HttpClient.newHttpClient();
      TrustedIssuers issuers = new TrustedIssuers(List.of(IssuerSettings.builder(dev.issuer(), "userfabric").build()));

      HttpResponse<String> admin = http.send(HttpRequest.newBuilder(URI.create(dev.issuer()
          + "/token?user=root&scope=openid%20userfabric:admin")).build(), HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> badScope = http.send(HttpRequest.newBuilder(URI.create(dev.issuer()
          + "/token?user=root&scope=%22quoted%22")).build(), HttpResponse.BodyHandlers.ofString());

      assertEquals(200, admin.statusCode(), admin.body());
      String token = admin.body().replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
      VerifiedAccessToken verified = issuers.accessTokenVerifier().verify(new AccessToken(token));
      assertEquals(java.util.Set.of("openid", "userfabric:admin"), verified.scopes());
      assertEquals(400, badScope.statusCode());
      assertTrue(badScope.body().contains("invalid_scope"), badScope.body());
    }
  }
}
