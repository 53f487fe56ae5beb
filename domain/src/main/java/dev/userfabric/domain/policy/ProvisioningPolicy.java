package dev.userfabric.domain.policy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who may become (and stay) a user: rules per issuer, rules for every issuer, and the issuers
 * whose identities may be linked. The empty policy admits everyone and links nothing, at no cost.
 */
public final class ProvisioningPolicy {

  /** The key under which rules apply to every issuer. */
  public static final String EVERY_ISSUER = "*";

  public static final ProvisioningPolicy OPEN = new ProvisioningPolicy(Map.of(), List.of());

  private final Map<String, List<PolicyRule>> rulesByIssuer;
  private final List<LinkGroup> linkGroups;

  /**
   * @param rulesByIssuer rules per issuer id, and under {@link #EVERY_ISSUER} those for every
   *     issuer (checked first)
   * @throws IllegalArgumentException if a rule name repeats for one issuer, or an issuer is in two
   *     link groups
   */
  public ProvisioningPolicy(Map<String, List<PolicyRule>> rulesByIssuer, List<LinkGroup> linkGroups) {
    this.rulesByIssuer = Map.copyOf(rulesByIssuer);
    this.linkGroups = List.copyOf(linkGroups);
    this.rulesByIssuer.forEach((issuer, rules) -> {
      Set<String> names = new HashSet<>();
      for (PolicyRule rule : rules) {
        if (!names.add(rule.name())) {
          throw new IllegalArgumentException("rule " + rule.name() + " appears twice for issuer " + issuer);
        }
      }
    });
    Set<String> linked = new HashSet<>();
    Set<String> groupNames = new HashSet<>();
    for (LinkGroup group : this.linkGroups) {
      if (!groupNames.add(group.name())) {
        throw new IllegalArgumentException("link group " + group.name() + " appears twice");
      }
      for (String issuer : group.issuers()) {
        if (!linked.add(issuer)) {
          throw new IllegalArgumentException("issuer " + issuer + " is in more than one link group");
        }
      }
    }
  }

  /** The rules an applicant of this issuer is checked against: every issuer's, then its own. */
  public List<PolicyRule> rulesFor(String issuer) {
    List<PolicyRule> shared = rulesByIssuer.getOrDefault(EVERY_ISSUER, List.of());
    List<PolicyRule> own = rulesByIssuer.getOrDefault(issuer, List.of());
    if (shared.isEmpty()) {
      return own;
    }
    if (own.isEmpty()) {
      return shared;
    }
    List<PolicyRule> all = new ArrayList<>(shared);
    all.addAll(own);
    return all;
  }

  public Map<String, List<PolicyRule>> rulesByIssuer() {
    return rulesByIssuer;
  }

  public List<LinkGroup> linkGroups() {
    return linkGroups;
  }

  /** The link group holding this issuer; empty when its identities are never linked. */
  public Optional<LinkGroup> linkGroupOf(String issuer) {
    for (LinkGroup group : linkGroups) {
      if (group.issuers().contains(issuer)) {
        return Optional.of(group);
      }
    }
    return Optional.empty();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ProvisioningPolicy policy
        && rulesByIssuer.equals(policy.rulesByIssuer) && linkGroups.equals(policy.linkGroups);
  }

  @Override
  public int hashCode() {
    return Objects.hash(rulesByIssuer, linkGroups);
  }
}
