package dev.userfabric.domain.service;

import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.model.LinkPending;
import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserEvent;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.model.UserProfile;
import dev.userfabric.domain.model.UserStateEvent;
import dev.userfabric.domain.policy.LinkGroup;
import dev.userfabric.domain.port.out.LinkIndex;
import dev.userfabric.domain.port.out.LinkIndex.Claim;
import dev.userfabric.domain.port.out.PolicySource;
import dev.userfabric.domain.port.out.UserCache;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether a first login joins an existing user. Only when all of this holds: the login's
 * issuer is in a link group; its profile's email is verified; exactly one stored user of that
 * group holds the same email, verified; and that user has no identity of the login's issuer yet.
 * Anything else, an unverified email above all (the account-takeover pattern), makes a user of its
 * own, as without linking. Issuers outside every link group cost one lookup and nothing else.
 */
public final class IdentityLinker {

  private final PolicySource policies;
  private final LinkIndex index;
  private final UserCache userCache;

  public IdentityLinker(PolicySource policies, LinkIndex index, UserCache userCache) {
    this.policies = Objects.requireNonNull(policies);
    this.index = Objects.requireNonNull(index);
    this.userCache = Objects.requireNonNull(userCache);
  }

  /** Linking switched off: no first login joins anyone, and nothing is indexed. */
  public static IdentityLinker off(UserCache userCache) {
    return new IdentityLinker(PolicySource.fixed(dev.userfabric.domain.policy.ProvisioningPolicy.OPEN),
        new LinkIndex() {
          @Override
          public Claim claim(String group, String email, UserId candidate) {
            throw new IllegalStateException("no link group, no claim");
          }

          @Override
          public void index(String group, String email, UserId user) {}

          @Override
          public void unindex(String group, String email, UserId user) {}
        }, userCache);
  }

  /**
   * The user a first login of {@code identity} joins, if any.
   *
   * @throws LinkPending when a first login through another issuer with the same email is being
   *     created now (the caller retries shortly and joins it)
   */
  Optional<User> userToJoin(Identity identity, UserProfile profile) {
    Optional<LinkGroup> group = policies.current().linkGroupOf(identity.issuer());
    Optional<String> email = verifiedEmail(profile);
    if (group.isEmpty() || email.isEmpty()) {
      return Optional.empty();
    }
    UserId self = UserId.of(identity);
    // Twice at most: a first claim may find only stale listings, which it removes.
    for (int attempt = 0; attempt < 2; attempt++) {
      switch (index.claim(group.get().name(), email.get(), self)) {
        case Claim.Claimed claimed -> {
          return Optional.empty();
        }
        case Claim.Pending pending -> {
          if (pending.candidate().equals(self)) {
            return Optional.empty(); // our own earlier attempt (a retry)
          }
          throw new LinkPending("user " + pending.candidate() + " with the same verified email is being created");
        }
        case Claim.Owners owners -> {
          List<User> holders = holders(owners.users(), group.get(), email.get());
          if (holders.size() > 1) {
            return Optional.empty(); // ambiguous: never guess whose account this is
          }
          if (holders.size() == 1) {
            User holder = holders.getFirst();
            boolean sameIssuer = holder.identities().stream().anyMatch(id -> id.issuer().equals(identity.issuer()));
            return sameIssuer ? Optional.empty() : Optional.of(holder);
          }
        }
      }
    }
    return Optional.empty();
  }

  /** Lists a stored user's verified email, so that later first logins of its group can find it. */
  public void indexStored(UserEvent event) {
    if (!(event instanceof UserStateEvent withState)) {
      return; // an erasure: its listing is found stale and dropped by the next first login
    }
    User user = withState.user();
    Optional<LinkGroup> group = policies.current().linkGroupOf(user.identity().issuer());
    Optional<String> email = verifiedEmail(user.profile());
    if (group.isPresent() && email.isPresent()) {
      index.index(group.get().name(), email.get(), user.id());
    }
  }

  /** The listed users that really hold the email now; the others are taken off it. */
  private List<User> holders(List<UserId> listed, LinkGroup group, String email) {
    List<User> holders = new ArrayList<>();
    for (UserId id : listed) {
      Optional<User> user = userCache.find(id);
      boolean holds = user.isPresent()
          && group.issuers().contains(user.get().identity().issuer())
          && verifiedEmail(user.get().profile()).filter(email::equals).isPresent();
      if (holds) {
        holders.add(user.get());
      } else {
        index.unindex(group.name(), email, id);
      }
    }
    return holders;
  }

  private static Optional<String> verifiedEmail(UserProfile profile) {
    return profile.emailVerified() ? profile.email().map(email -> email.toLowerCase(Locale.ROOT)) : Optional.empty();
  }
}
