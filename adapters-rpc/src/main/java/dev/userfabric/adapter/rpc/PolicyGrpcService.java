package dev.userfabric.adapter.rpc;

import dev.userfabric.domain.model.AccessToken;
import dev.userfabric.domain.policy.PolicyMode;
import dev.userfabric.domain.policy.PolicyRule;
import dev.userfabric.domain.policy.RuleOutcome;
import dev.userfabric.domain.policy.RuleScope;
import dev.userfabric.domain.port.in.EvaluatePolicyCommand;
import dev.userfabric.domain.port.in.EvaluatePolicyUseCase;
import dev.userfabric.domain.port.in.PolicyDryRun;
import dev.userfabric.proto.v1.EvaluatePolicyRequest;
import dev.userfabric.proto.v1.EvaluatePolicyResponse;
import dev.userfabric.proto.v1.PolicyServiceGrpc;
import dev.userfabric.proto.v1.ProfileSource;
import dev.userfabric.proto.v1.RuleResult;
import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import java.util.Optional;

/** Serves {@code userfabric.v1.PolicyService}: the provisioning policy's dry-run. */
public final class PolicyGrpcService implements PolicyServiceGrpc.AsyncService, BindableService {

  private static final String EVALUATE = "userfabric.v1.PolicyService/EvaluatePolicy";

  private final EvaluatePolicyUseCase evaluatePolicy;

  public PolicyGrpcService(EvaluatePolicyUseCase evaluatePolicy) {
    this.evaluatePolicy = evaluatePolicy;
  }

  @Override
  public ServerServiceDefinition bindService() {
    return ServerInterceptors.intercept(PolicyServiceGrpc.bindService(this), new CallerInterceptor());
  }

  @Override
  public void evaluatePolicy(EvaluatePolicyRequest request, StreamObserver<EvaluatePolicyResponse> observer) {
    Optional<String> token = CallerInterceptor.currentToken();
    if (token.isEmpty()) {
      UseCaseCall.refuse(EVALUATE, FailureToStatus.MISSING_TOKEN, "no bearer token", observer);
      return;
    }
    UseCaseCall.respond(EVALUATE, token, observer, () -> {
      EvaluatePolicyCommand command = new EvaluatePolicyCommand(new AccessToken(token.get()),
          evaluatedToken(request.getAccessToken()),
          request.hasProfile() ? Optional.of(ProtoMapper.fromProto(request.getProfile())) : Optional.empty());
      return toResponse(evaluatePolicy.evaluatePolicy(command));
    });
  }

  /** The token to evaluate is data here: a malformed one is bad input, not the caller's credential. */
  private static AccessToken evaluatedToken(String text) {
    try {
      return new AccessToken(text);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new dev.userfabric.domain.model.InvalidUserData("access_token must be an access token");
    }
  }

  private static EvaluatePolicyResponse toResponse(PolicyDryRun dryRun) {
    var evaluation = dryRun.evaluation();
    EvaluatePolicyResponse.Builder response = EvaluatePolicyResponse.newBuilder()
        .setAllowed(evaluation.allowed())
        .setRefusingRule(evaluation.refusal().map(outcome -> outcome.rule().name()).orElse(""))
        .setIssuer(evaluation.identity().issuer())
        .setSubject(evaluation.identity().subject())
        .setUserId(dryRun.userId().toString())
        .setKnownUser(evaluation.knownUser())
        .setProfileSource(switch (dryRun.profileSource()) {
          case GIVEN -> ProfileSource.PROFILE_SOURCE_GIVEN;
          case STORED -> ProfileSource.PROFILE_SOURCE_STORED;
          case PROVIDER -> ProfileSource.PROFILE_SOURCE_PROVIDER;
        })
        .setProfile(ProtoMapper.toProto(dryRun.profile()));
    evaluation.outcomes().forEach(outcome -> response.addRules(toProto(outcome)));
    return response.build();
  }

  private static RuleResult toProto(RuleOutcome outcome) {
    PolicyRule rule = outcome.rule();
    return RuleResult.newBuilder()
        .setName(rule.name())
        .setType(rule.condition().type())
        .setMode(rule.mode() == PolicyMode.ENFORCE ? "enforce" : "report")
        .setAppliesTo(rule.scope() == RuleScope.ALL_USERS ? "all-users" : "new-users")
        .setVerdict(switch (outcome.verdict()) {
          case PASSED -> RuleResult.Verdict.PASSED;
          case FAILED -> RuleResult.Verdict.FAILED;
          case NOT_APPLICABLE -> RuleResult.Verdict.NOT_APPLICABLE;
        })
        .setReason(outcome.reason())
        .build();
  }
}
