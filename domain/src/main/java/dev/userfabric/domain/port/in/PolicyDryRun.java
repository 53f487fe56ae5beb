package dev.userfabric.domain.port.in;

import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.model.UserProfile;
import dev.userfabric.domain.policy.PolicyEvaluation;
import java.util.Objects;

/** What the policy would say about a CreateUser with the evaluated token, and on which profile. */
public record PolicyDryRun(PolicyEvaluation evaluation, UserId userId, UserProfile profile, ProfileSource profileSource) {

  /** Where the evaluated profile came from. */
  public enum ProfileSource { GIVEN, STORED, PROVIDER }

  public PolicyDryRun {
    Objects.requireNonNull(evaluation, "evaluation must not be null");
    Objects.requireNonNull(userId, "userId must not be null");
    Objects.requireNonNull(profile, "profile must not be null");
    Objects.requireNonNull(profileSource, "profileSource must not be null");
  }
}
