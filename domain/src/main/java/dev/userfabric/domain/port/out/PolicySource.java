package dev.userfabric.domain.port.out;

import dev.userfabric.domain.policy.ProvisioningPolicy;

/** The provisioning policy in force now; it may change between two calls (a reload), never within one. */
@FunctionalInterface
public interface PolicySource {

  ProvisioningPolicy current();

  static PolicySource fixed(ProvisioningPolicy policy) {
    return () -> policy;
  }
}
