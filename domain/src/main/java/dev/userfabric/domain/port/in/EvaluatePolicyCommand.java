package dev.userfabric.domain.port.in;

import dev.userfabric.domain.model.AccessToken;
import dev.userfabric.domain.model.UserProfile;
import java.util.Objects;
import java.util.Optional;

/**
 * Ask the provisioning policy about a token without acting on the answer.
 *
 * @param accessToken the administrator's own token
 * @param evaluated the token whose holder the policy is asked about
 * @param profile the profile to evaluate with; when empty, the stored user's, or else the one the
 *     provider gives for {@code evaluated}
 */
public record EvaluatePolicyCommand(AccessToken accessToken, AccessToken evaluated, Optional<UserProfile> profile) {

  public EvaluatePolicyCommand {
    Objects.requireNonNull(accessToken, "accessToken must not be null");
    Objects.requireNonNull(evaluated, "evaluated must not be null");
    Objects.requireNonNull(profile, "profile must not be null");
  }
}
