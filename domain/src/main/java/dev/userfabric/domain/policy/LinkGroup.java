package dev.userfabric.domain.policy;

import java.util.Objects;
import java.util.Set;

/**
 * Issuers trusted to vouch for the same people: a first login through one of them may join the
 * user another of them created, on a verified email (see the README's identity linking). Trust in
 * a group is only as strong as its weakest issuer's email verification.
 */
public record LinkGroup(String name, Set<String> issuers) {

  public LinkGroup {
    Objects.requireNonNull(name, "name must not be null");
    if (name.isBlank() || name.chars().anyMatch(Character::isISOControl) || name.length() > 100) {
      throw new IllegalArgumentException("a link group's name must be 1 to 100 printable characters");
    }
    issuers = Set.copyOf(issuers);
    if (issuers.size() < 2) {
      throw new IllegalArgumentException("link group " + name + " needs at least two issuers");
    }
  }
}
