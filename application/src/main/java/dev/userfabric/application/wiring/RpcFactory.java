package dev.userfabric.application.wiring;

import dev.userfabric.adapter.rpc.DemeterUserGrpcService;
import dev.userfabric.adapter.rpc.ServerReflection;
import dev.userfabric.adapter.rpc.TokenGrpcService;
import dev.userfabric.adapter.rpc.UserFabricGrpcService;
import dev.userfabric.domain.port.in.CreateUserUseCase;
import dev.userfabric.domain.service.TokenRevocationService;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** The gRPC services; Micronaut gRPC serves every such bean (health comes with it). */
@Factory
public class RpcFactory {

  @Singleton
  UserFabricGrpcService userFabricGrpcService(CreateUserUseCase createUser) {
    return new UserFabricGrpcService(createUser);
  }

  @Singleton
  DemeterUserGrpcService demeterUserGrpcService(CreateUserUseCase createUser) {
    return new DemeterUserGrpcService(createUser);
  }

  @Singleton
  TokenGrpcService tokenGrpcService(TokenRevocationService revocations) {
    return new TokenGrpcService(revocations, revocations);
  }

  @Singleton
  ServerReflection serverReflection() {
    return new ServerReflection();
  }
}
