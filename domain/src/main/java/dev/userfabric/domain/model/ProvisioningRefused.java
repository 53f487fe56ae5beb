package dev.userfabric.domain.model;

import java.util.Objects;

/** The provisioning policy does not let this identity become, or stay, a user. */
public final class ProvisioningRefused extends UserFabricFailure {

  private final String rule;

  public ProvisioningRefused(String rule, String message) {
    super(message, null);
    this.rule = Objects.requireNonNull(rule, "rule must not be null");
  }

  /** The name of the enforced rule that refused. */
  public String rule() {
    return rule;
  }
}
