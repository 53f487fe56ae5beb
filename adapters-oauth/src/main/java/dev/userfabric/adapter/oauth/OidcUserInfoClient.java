package dev.userfabric.adapter.oauth;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.userfabric.domain.model.AccessDenied;
import dev.userfabric.domain.model.AccessToken;
import dev.userfabric.domain.model.IdentityProviderUnavailable;
import dev.userfabric.domain.model.InvalidAccessToken;
import dev.userfabric.domain.model.UserProfile;
import dev.userfabric.domain.model.UserProfileUnavailable;
import dev.userfabric.domain.model.VerifiedAccessToken;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Reads a user's profile from one provider's OIDC userinfo endpoint with the user's own token.
 * When the provider asks us to slow down (429, or 503 with Retry-After) it is left alone until
 * the time it named, and callers are told when to come back.
 */
final class OidcUserInfoClient {

  static final int MAX_RESPONSE_BYTES = 64 * 1024;
  static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);
  static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);

  private final IssuerSettings settings;
  private final InstantSource clock;
  private final UnaryOperator<Duration> callerBudget;
  private final Tracer tracer;
  private volatile Instant quietUntil = Instant.MIN;

  OidcUserInfoClient(IssuerSettings settings, InstantSource clock, UnaryOperator<Duration> callerBudget,
      Tracer tracer) {
    this.callerBudget = callerBudget;
    this.tracer = tracer;
    this.settings = settings;
    this.clock = clock;
  }

  /** A CLIENT span per request (OpenTelemetry's HTTP conventions; the URL carries no token). */
  UserProfile fetchProfile(URI endpoint, AccessToken accessToken, VerifiedAccessToken verified) {
    Span span = tracer.spanBuilder("GET").setSpanKind(SpanKind.CLIENT)
        .setAttribute("http.request.method", "GET")
        .setAttribute("url.full", endpoint.toString())
        .setAttribute("server.address", String.valueOf(endpoint.getHost()))
        .startSpan();
    try {
      return fetchProfile(endpoint, accessToken, verified, span);
    } catch (RuntimeException e) {
      span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
      throw e;
    } finally {
      span.end();
    }
  }

  private UserProfile fetchProfile(URI endpoint, AccessToken accessToken, VerifiedAccessToken verified, Span span) {
    Instant now = clock.instant();
    Instant quiet = quietUntil;
    if (now.isBefore(quiet)) {
      throw slowDown("userinfo asked us to wait", Duration.between(now, quiet));
    }
    // HttpURLConnection rather than java.net.http.HttpClient: calls run on virtual threads, where
    // its blocking reads cost little, while HttpClient's one selector thread per client stalled
    // every response behind its lock on the timeout list (tens of ms under load, seen with JFR).
    // Its keep-alive cache reuses the connections (up to http.maxConnections idle ones a host,
    // which the service's main raises from the JDK's five).
    HttpURLConnection connection = null;
    try {
      int timeoutMillis = (int) Math.max(1, callerBudget.apply(settings.httpTimeout()).toMillis());
      connection = (HttpURLConnection) endpoint.toURL().openConnection();
      connection.setInstanceFollowRedirects(false); // a redirect could carry the bearer token elsewhere
      connection.setConnectTimeout(timeoutMillis);
      connection.setReadTimeout(timeoutMillis);
      connection.setUseCaches(false);
      connection.setRequestProperty("Authorization", "Bearer " + accessToken.value());
      connection.setRequestProperty("Accept", "application/json");
      int status = connection.getResponseCode();
      span.setAttribute("http.response.status_code", status);
      try (InputStream body = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
        return switch (status) {
          case 200 -> profileOf(verified, readBounded(body, connection.getContentLengthLong()));
          case 401 -> throw new InvalidAccessToken("userinfo refused the token");
          case 403 -> throw new AccessDenied(AccessDenied.Reason.REFUSED_BY_IDENTITY_PROVIDER,
              "userinfo forbade the token");
          case 429, 503 -> throw backOff(status, connection.getHeaderField("Retry-After"), now);
          default -> throw new IdentityProviderUnavailable("userinfo answered HTTP " + status);
        };
      }
    } catch (IOException e) {
      if (connection != null) {
        connection.disconnect(); // a connection in an unknown state is not reused
      }
      callerBudget.apply(Duration.ZERO); // a timeout that was the caller's deadline is reported as such
      throw new IdentityProviderUnavailable("userinfo could not be reached", e);
    }
  }

  private IdentityProviderUnavailable backOff(int status, String retryAfter, Instant now) {
    Optional<Duration> asked = Optional.ofNullable(retryAfter).flatMap(v -> retryAfter(v, now));
    if (status == 503 && asked.isEmpty()) {
      return new IdentityProviderUnavailable("userinfo answered HTTP 503");
    }
    Duration wait = asked.orElse(DEFAULT_RETRY_AFTER);
    quietUntil = now.plus(wait);
    return slowDown("userinfo answered HTTP " + status, wait);
  }

  private static IdentityProviderUnavailable slowDown(String why, Duration wait) {
    return new IdentityProviderUnavailable(why + "; retry after " + wait.toSeconds() + "s", null, wait);
  }

  /** RFC 9110 10.2.3: delay-seconds or an HTTP-date; capped, so a provider cannot silence us for days. */
  static Optional<Duration> retryAfter(String value, Instant now) {
    Duration wait;
    try {
      wait = Duration.ofSeconds(Long.parseLong(value.strip()));
    } catch (NumberFormatException notSeconds) {
      try {
        wait = Duration.between(now, ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
      } catch (DateTimeParseException notADate) {
        return Optional.empty();
      }
    }
    if (wait.isNegative() || wait.isZero()) {
      return Optional.of(Duration.ofSeconds(1));
    }
    return Optional.of(wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait);
  }

  /** @param declared the Content-Length, or -1 when the provider did not send one (chunked) */
  private static String readBounded(InputStream body, long declared) throws IOException {
    if (declared > MAX_RESPONSE_BYTES) {
      throw new UserProfileUnavailable("userinfo response is too large");
    }
    // The connection's stream ends at the declared length: reading that much needs one array of
    // the body's size, where reading up to the bound went through an 8 KB one per call.
    byte[] bytes = body.readNBytes(declared >= 0 ? (int) declared : MAX_RESPONSE_BYTES + 1);
    if (bytes.length > MAX_RESPONSE_BYTES) {
      throw new UserProfileUnavailable("userinfo response is too large");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static UserProfile profileOf(VerifiedAccessToken verified, String json) {
    try {
      Map<String, Object> claims = JSONObjectUtils.parse(json);
      String subject = ProfileClaims.text(claims, "sub");
      if (subject == null) {
        throw new UserProfileUnavailable("userinfo response has no sub");
      }
      // OIDC Core 5.3.2: a response for another subject must not be used, and the token that
      // fetched it cannot be tied to the person it claims to be.
      if (!verified.identity().subject().equals(subject)) {
        throw new InvalidAccessToken("userinfo answered for another subject");
      }
      return ProfileClaims.from(claims);
    } catch (ParseException | IllegalArgumentException e) {
      throw new UserProfileUnavailable("userinfo response is not a usable profile", e);
    }
  }
}
