package dev.userfabric.adapter.oauth;

import com.nimbusds.jose.jwk.source.CachingJWKSetSource;
import com.nimbusds.jose.jwk.source.RateLimitedJWKSetSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.events.EventListener;
import dev.userfabric.domain.model.AccessDenied;
import dev.userfabric.domain.model.IdentityProviderUnavailable;
import dev.userfabric.domain.model.InvalidAccessToken;
import dev.userfabric.domain.model.UserProfileUnavailable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One issuer's requests, as {@code userfabric.idp.requests} (a timer tagged {@code issuer},
 * {@code endpoint} = discovery, jwks, userinfo, introspection, and {@code outcome} = ok, refused
 * (the provider refused the token: 401, 403), throttled (429, 503 with Retry-After, or a wait it
 * asked for still running), bad_response, unavailable), and its key set's life as
 * {@code userfabric.idp.keys} (refresh_initiated, refresh_completed, refresh_failed,
 * refetch_rate_limited: an unknown kid while the refetch budget was spent).
 */
final class IdentityProviderMetrics {

  private final MeterRegistry registry;
  private final String issuer;
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final Map<String, Counter> keyEvents = new ConcurrentHashMap<>();

  IdentityProviderMetrics(MeterRegistry registry, String issuer) {
    this.registry = registry;
    this.issuer = issuer;
  }

  <T> T timed(String endpoint, Supplier<T> request) {
    long started = System.nanoTime();
    String outcome = "ok";
    try {
      return request.get();
    } catch (InvalidAccessToken | AccessDenied e) {
      outcome = "refused";
      throw e;
    } catch (IdentityProviderUnavailable e) {
      outcome = e.retryAfter().isPresent() ? "throttled" : "unavailable";
      throw e;
    } catch (UserProfileUnavailable e) {
      outcome = "bad_response";
      throw e;
    } catch (RuntimeException e) {
      outcome = "unavailable";
      throw e;
    } finally {
      timer(endpoint, outcome).record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
  }

  void timed(String endpoint, String outcome, long nanos) {
    timer(endpoint, outcome).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  /** Nimbus's key-set cache events, counted. */
  EventListener<CachingJWKSetSource<SecurityContext>, SecurityContext> cacheEvents() {
    return event -> keyEvent(switch (event) {
      case CachingJWKSetSource.RefreshInitiatedEvent<?> e -> "refresh_initiated";
      case CachingJWKSetSource.RefreshCompletedEvent<?> e -> "refresh_completed";
      case CachingJWKSetSource.UnableToRefreshEvent<?> e -> "refresh_failed";
      case CachingJWKSetSource.RefreshTimedOutEvent<?> e -> "refresh_failed";
      default -> null;
    });
  }

  EventListener<RateLimitedJWKSetSource<SecurityContext>, SecurityContext> rateLimitEvents() {
    return event -> keyEvent("refetch_rate_limited");
  }

  private void keyEvent(String name) {
    if (name == null) {
      return;
    }
    keyEvents.computeIfAbsent(name, key -> Counter.builder("userfabric.idp.keys").tag("issuer", issuer)
        .tag("event", key).description("the issuer's signing-key set: refreshes and refused refetches")
        .register(registry)).increment();
  }

  private Timer timer(String endpoint, String outcome) {
    return timers.computeIfAbsent(endpoint + '\0' + outcome, key -> Timer.builder("userfabric.idp.requests")
        .tag("issuer", issuer).tag("endpoint", endpoint).tag("outcome", outcome)
        .description("requests to the identity provider, by endpoint and outcome").register(registry));
  }
}
