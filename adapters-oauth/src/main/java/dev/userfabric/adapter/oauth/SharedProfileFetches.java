package dev.userfabric.adapter.oauth;

import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.model.IdentityProviderUnavailable;
import dev.userfabric.domain.model.UserProfile;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * At most one profile fetch per person at a time: concurrent first calls for one user wait for
 * the fetch already under way and share its answer (or its failure). A fetched profile is reused
 * for a short while, so a burst of retries costs the provider one request.
 */
final class SharedProfileFetches {

  private static final int MAX_CACHED_PROFILES = 10_000;
  private static final Duration FOLLOWER_PATIENCE = Duration.ofSeconds(30);

  private record Fetched(UserProfile profile, Instant reuseUntil) {}

  private final Duration reuseFor;
  private final InstantSource clock;
  private final UnaryOperator<Duration> callerBudget;
  private final Map<Identity, CompletableFuture<UserProfile>> inFlight = new ConcurrentHashMap<>();
  private final Map<Identity, Fetched> recent = new ConcurrentHashMap<>();

  SharedProfileFetches(Duration reuseFor, InstantSource clock, UnaryOperator<Duration> callerBudget) {
    this.callerBudget = callerBudget;
    this.reuseFor = reuseFor;
    this.clock = clock;
  }

  UserProfile fetch(Identity identity, Supplier<UserProfile> fetch) {
    return fetch(identity, fetch, true);
  }

  /** @param reuseRecent false to ask the provider even when a profile was fetched a moment ago */
  UserProfile fetch(Identity identity, Supplier<UserProfile> fetch, boolean reuseRecent) {
    Fetched known = reuseRecent ? recent.get(identity) : null;
    if (known != null && clock.instant().isBefore(known.reuseUntil())) {
      return known.profile();
    }
    CompletableFuture<UserProfile> mine = new CompletableFuture<>();
    CompletableFuture<UserProfile> running = inFlight.putIfAbsent(identity, mine);
    if (running != null) {
      return await(running);
    }
    try {
      UserProfile profile = fetch.get();
      remember(identity, profile);
      mine.complete(profile);
      return profile;
    } catch (RuntimeException failure) {
      mine.completeExceptionally(failure);
      throw failure;
    } finally {
      inFlight.remove(identity, mine);
    }
  }

  private UserProfile await(CompletableFuture<UserProfile> running) {
    try {
      // The leading fetch has the provider's HTTP timeout; a follower also stops at its own deadline.
      return running.get(callerBudget.apply(FOLLOWER_PATIENCE).toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      callerBudget.apply(Duration.ZERO); // throws when the caller has gone
      throw new IdentityProviderUnavailable("the shared userinfo fetch took too long", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IdentityProviderUnavailable("interrupted waiting for userinfo", e);
    }
  }

  private void remember(Identity identity, UserProfile profile) {
    if (reuseFor.isZero()) {
      return;
    }
    Instant now = clock.instant();
    if (recent.size() >= MAX_CACHED_PROFILES) {
      recent.values().removeIf(old -> !now.isBefore(old.reuseUntil()));
      if (recent.size() >= MAX_CACHED_PROFILES) {
        recent.clear();
      }
    }
    recent.put(identity, new Fetched(profile, now.plus(reuseFor)));
  }
}
