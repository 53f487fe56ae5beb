package dev.userfabric.domain.model;

import java.time.Duration;
import java.util.Optional;

/**
 * The identity provider could not be reached or answered with an error; retrying may help, and
 * when the provider said when (HTTP 429 or 503 with Retry-After), {@link #retryAfter()} says so.
 */
public final class IdentityProviderUnavailable extends UserFabricFailure {

  private final Duration retryAfter;

  public IdentityProviderUnavailable(String message) {
    this(message, null, null);
  }

  public IdentityProviderUnavailable(String message, Throwable cause) {
    this(message, cause, null);
  }

  public IdentityProviderUnavailable(String message, Throwable cause, Duration retryAfter) {
    super(message, cause);
    this.retryAfter = retryAfter;
  }

  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
