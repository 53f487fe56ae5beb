package dev.userfabric.domain.port.in;

/** The provisioning policy's dry-run, for administrators. */
public interface EvaluatePolicyUseCase {

  /** Evaluates every rule; creates, publishes and stores nothing. */
  PolicyDryRun evaluatePolicy(EvaluatePolicyCommand command);
}
