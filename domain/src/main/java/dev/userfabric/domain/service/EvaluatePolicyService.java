package dev.userfabric.domain.service;

import dev.userfabric.domain.model.AccessDenied;
import dev.userfabric.domain.model.InvalidAccessToken;
import dev.userfabric.domain.model.InvalidUserData;
import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserProfile;
import dev.userfabric.domain.model.VerifiedAccessToken;
import dev.userfabric.domain.port.in.EvaluatePolicyCommand;
import dev.userfabric.domain.port.in.EvaluatePolicyUseCase;
import dev.userfabric.domain.port.in.PolicyDryRun;
import dev.userfabric.domain.port.in.PolicyDryRun.ProfileSource;
import dev.userfabric.domain.port.out.UserCache;
import dev.userfabric.domain.port.out.UserProfileProvider;
import java.util.Objects;
import java.util.Optional;

/**
 * The dry-run: the administrator's token is checked, then the evaluated token exactly as
 * CreateUser would check it, then every rule on the profile CreateUser would use.
 */
public final class EvaluatePolicyService implements EvaluatePolicyUseCase {

  private final AccessControl accessControl;
  private final UserCache userCache;
  private final UserProfileProvider userProfileProvider;
  private final ProvisioningGate provisioning;

  public EvaluatePolicyService(AccessControl accessControl, UserCache userCache,
      UserProfileProvider userProfileProvider, ProvisioningGate provisioning) {
    this.accessControl = Objects.requireNonNull(accessControl);
    this.userCache = Objects.requireNonNull(userCache);
    this.userProfileProvider = Objects.requireNonNull(userProfileProvider);
    this.provisioning = Objects.requireNonNull(provisioning);
  }

  @Override
  public PolicyDryRun evaluatePolicy(EvaluatePolicyCommand command) {
    accessControl.forAdministrator(command.accessToken());
    VerifiedAccessToken token = evaluatedToken(command);

    Optional<User> stored = userCache.resolve(token.userId()).activeUser(); // a linked identity: its user
    UserProfile profile;
    ProfileSource source;
    if (command.profile().isPresent()) {
      profile = command.profile().get();
      source = ProfileSource.GIVEN;
    } else if (stored.isPresent()) {
      profile = stored.get().profile();
      source = ProfileSource.STORED;
    } else {
      profile = userProfileProvider.fetchProfile(command.evaluated(), token);
      source = ProfileSource.PROVIDER;
    }
    return new PolicyDryRun(provisioning.evaluate(token, profile, stored.isPresent()), token.userId(), profile,
        source);
  }

  /** A token CreateUser would refuse before the policy is asked is bad input here, not the caller's fault. */
  private VerifiedAccessToken evaluatedToken(EvaluatePolicyCommand command) {
    try {
      return accessControl.forUser(command.evaluated());
    } catch (InvalidAccessToken | AccessDenied refused) {
      throw new InvalidUserData("the token to evaluate is refused: " + refused.getMessage(), refused);
    }
  }
}
