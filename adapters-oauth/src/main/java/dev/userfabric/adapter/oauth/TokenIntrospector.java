package dev.userfabric.adapter.oauth;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import dev.userfabric.domain.model.IdentityProviderUnavailable;
import dev.userfabric.domain.model.InvalidAccessToken;
import dev.userfabric.domain.model.VerifiedAccessToken;
import java.time.Duration;
import java.io.IOException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Asks the issuer about an opaque access token (RFC 7662) and keeps the answer a short while:
 * never past the token's expiry, and a refusal only briefly. Tokens are cached by digest, never
 * kept in memory as themselves.
 */
final class TokenIntrospector {

  private static final int MAX_CACHED_ANSWERS = 10_000;

  /** An answer and until when it may be reused; an empty token means "not active". */
  private record Answer(Optional<VerifiedAccessToken> token, InvalidAccessToken refusal, Instant reuseUntil) {}

  private final IssuerSettings settings;
  private final OidcDiscovery discovery;
  private final InstantSource clock;
  private final IdentityProviderMetrics metrics;
  private final UnaryOperator<Duration> callerBudget;
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();

  TokenIntrospector(IssuerSettings settings, OidcDiscovery discovery, InstantSource clock,
      IdentityProviderMetrics metrics, UnaryOperator<Duration> callerBudget) {
    this.callerBudget = callerBudget;
    this.metrics = metrics;
    this.settings = settings;
    this.discovery = discovery;
    this.clock = clock;
  }

  /**
   * @return the token as the issuer describes it, or empty when the issuer says it is not active
   *     (it may be another issuer's)
   * @throws InvalidAccessToken when the issuer calls it active but it fails our checks
   */
  Optional<VerifiedAccessToken> introspect(String token) {
    Instant now = clock.instant();
    String key = TokenClaims.sha256(token);
    Answer cached = answers.get(key);
    if (cached != null && now.isBefore(cached.reuseUntil())) {
      return reuse(cached, now);
    }
    Answer answer = ask(token, now);
    remember(key, answer, now);
    return reuse(answer, now);
  }

  private Optional<VerifiedAccessToken> reuse(Answer answer, Instant now) {
    if (answer.refusal() != null) {
      throw answer.refusal();
    }
    // A cached active answer still expires with the token itself.
    if (answer.token().isPresent() && !answer.token().get().expiresAt().isAfter(now.minus(settings.clockSkew()))) {
      throw new InvalidAccessToken(InvalidAccessToken.Reason.EXPIRED, "token expired", null);
    }
    return answer.token();
  }

  private Answer ask(String token, Instant now) {
    return metrics.timed("introspection", () -> askNow(token, now));
  }

  private Answer askNow(String token, Instant now) {
    IssuerSettings.ClientCredentials client = settings.introspectionClient().orElseThrow();
    Instant shortly = now.plus(settings.introspectionCacheTtl());
    try {
      HTTPRequest request = new TokenIntrospectionRequest(
          discovery.metadata().introspectionEndpoint().orElseThrow(),
          new ClientSecretBasic(new ClientID(client.clientId()), new Secret(client.clientSecret())),
          new BearerAccessToken(token)).toHTTPRequest();
      int timeoutMillis = (int) Math.max(1, callerBudget.apply(settings.httpTimeout()).toMillis());
      request.setConnectTimeout(timeoutMillis);
      request.setReadTimeout(timeoutMillis);
      request.setFollowRedirects(false);
      HTTPResponse response = request.send();
      if (response.getStatusCode() != 200) {
        // Our own credentials refused, or the server failing: not the caller's fault.
        throw new IdentityProviderUnavailable("introspection answered HTTP " + response.getStatusCode());
      }
      TokenIntrospectionResponse parsed = TokenIntrospectionResponse.parse(response);
      TokenIntrospectionSuccessResponse success = parsed.toSuccessResponse();
      if (!success.isActive()) {
        return new Answer(Optional.empty(), null, shortly);
      }
      try {
        VerifiedAccessToken verified = TokenClaims.verify(settings, TokenClaims.Source.INTROSPECTION,
            success.toJSONObject(), java.util.Set.of(), () -> token, now);
        Instant until = verified.expiresAt().isBefore(shortly) ? verified.expiresAt() : shortly;
        return new Answer(Optional.of(verified), null, until);
      } catch (InvalidAccessToken refused) {
        return new Answer(Optional.empty(), refused, shortly);
      }
    } catch (IOException e) {
      callerBudget.apply(Duration.ZERO); // throws when the caller has gone
      throw new IdentityProviderUnavailable("introspection endpoint could not be reached", e);
    } catch (ParseException | ClassCastException e) {
      throw new IdentityProviderUnavailable("introspection answer could not be read", e);
    }
  }

  private void remember(String key, Answer answer, Instant now) {
    if (answers.size() >= MAX_CACHED_ANSWERS) {
      answers.values().removeIf(old -> !now.isBefore(old.reuseUntil()));
      if (answers.size() >= MAX_CACHED_ANSWERS) {
        Iterator<String> victims = answers.keySet().iterator();
        for (int i = 0; i < MAX_CACHED_ANSWERS / 10 && victims.hasNext(); i++) {
          victims.next();
          victims.remove();
        }
      }
    }
    answers.put(key, answer);
  }
}
