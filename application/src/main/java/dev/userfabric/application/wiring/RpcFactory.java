package dev.userfabric.application.wiring;

import dev.userfabric.adapter.rpc.CallLimit;
import dev.userfabric.adapter.rpc.DemeterUserGrpcService;
import dev.userfabric.adapter.rpc.GrpcCallerBudget;
import dev.userfabric.adapter.rpc.PolicyGrpcService;
import dev.userfabric.adapter.rpc.ServerReflection;
import dev.userfabric.adapter.rpc.ServingHealth;
import dev.userfabric.adapter.rpc.TokenGrpcService;
import dev.userfabric.adapter.rpc.UserFabricGrpcService;
import dev.userfabric.application.config.GrpcLimits;
import dev.userfabric.domain.port.in.CreateUserUseCase;
import dev.userfabric.domain.port.in.DeleteUserUseCase;
import dev.userfabric.domain.port.in.EvaluatePolicyUseCase;
import dev.userfabric.domain.port.in.ReadUserUseCase;
import dev.userfabric.domain.port.in.RefreshUserUseCase;
import dev.userfabric.domain.port.in.UnlinkIdentityUseCase;
import dev.userfabric.domain.service.TokenRevocationService;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.stream.Collectors;

/** The gRPC services; Micronaut gRPC serves every such bean. */
@Factory
public class RpcFactory {

  /**
   * The caller's deadline and cancellation from the gRPC context, handed to every driven adapter
   * that waits on a server, so that none waits longer than the caller will.
   */
  @Singleton
  GrpcCallerBudget callerBudget() {
    return new GrpcCallerBudget();
  }

  @Singleton
  UserFabricGrpcService userFabricGrpcService(CreateUserUseCase createUser, ReadUserUseCase readUser,
      RefreshUserUseCase refreshUser, DeleteUserUseCase deleteUser, UnlinkIdentityUseCase unlinkIdentity) {
    return new UserFabricGrpcService(createUser, readUser, refreshUser, deleteUser, unlinkIdentity);
  }

  @Singleton
  PolicyGrpcService policyGrpcService(EvaluatePolicyUseCase evaluatePolicy) {
    return new PolicyGrpcService(evaluatePolicy);
  }

  @Singleton
  DemeterUserGrpcService demeterUserGrpcService(CreateUserUseCase createUser) {
    return new DemeterUserGrpcService(createUser);
  }

  @Singleton
  TokenGrpcService tokenGrpcService(TokenRevocationService revocations) {
    return new TokenGrpcService(revocations, revocations);
  }

  /** Registered for every service: Micronaut gRPC applies each ServerInterceptor bean. */
  @Singleton
  CallLimit callLimit(GrpcLimits limits, MeterRegistry registry) {
    CallLimit limit = new CallLimit(limits.maxConcurrentCalls());
    MetricsFactory.gaugeCallsInProgress(limit, registry);
    return limit;
  }

  /** Our own health service (Micronaut's is switched off) that follows Redis and RabbitMQ. */
  @Singleton
  @Bean(preDestroy = "close")
  ServingHealth servingHealth(List<Dependency> dependencies) {
    return new ServingHealth(dependencies.stream()
        .collect(Collectors.toMap(Dependency::name, Dependency::reachable)));
  }

  @Singleton
  ServerReflection serverReflection() {
    return new ServerReflection();
  }
}
