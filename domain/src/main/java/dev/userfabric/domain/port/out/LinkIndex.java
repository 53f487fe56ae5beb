package dev.userfabric.domain.port.out;

import dev.userfabric.domain.model.CacheUnavailable;
import dev.userfabric.domain.model.UserId;
import java.util.List;
import java.util.Objects;

/**
 * Which stored users of a link group hold a verified email, and which first login is about to
 * become one: the one place two concurrent first logins of one person meet. Emails are given
 * lower-cased. Failures are {@link CacheUnavailable}.
 */
public interface LinkIndex {

  /** What a first login found when it claimed an email. */
  sealed interface Claim {
    /** Stored users listed under the email (at least one); the listing may be stale, so check each. */
    record Owners(List<UserId> users) implements Claim {
      public Owners {
        users = List.copyOf(users);
      }
    }

    /** No user is listed; a first login of {@code candidate} claimed the email and is not stored yet. */
    record Pending(UserId candidate) implements Claim {
      public Pending {
        Objects.requireNonNull(candidate, "candidate must not be null");
      }
    }

    /** Nobody had the email: the caller's candidate holds the claim now, until it is stored or a while passes. */
    record Claimed() implements Claim {}
  }

  /** Atomically: the listed owners, else the pending claim, else a new claim for {@code candidate}. */
  Claim claim(String group, String email, UserId candidate);

  /** Lists a stored user under its verified email (idempotent), and ends its own pending claim. */
  void index(String group, String email, UserId user);

  /** Takes a user off an email it no longer holds (a stale listing found by a first login). */
  void unindex(String group, String email, UserId user);
}
