package dev.userfabric.adapter.rpc;

import dev.userfabric.domain.model.AccessToken;
import dev.userfabric.domain.port.in.CreateUserCommand;
import dev.userfabric.domain.port.in.CreateUserUseCase;
import dev.userfabric.proto.v1.CreateUserRequest;
import dev.userfabric.proto.v1.CreateUserResponse;
import dev.userfabric.proto.v1.UserServiceGrpc;
import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import java.util.Optional;

/** Serves {@code userfabric.v1.UserService}: CreateUser with the token in the metadata. */
public final class UserFabricGrpcService implements UserServiceGrpc.AsyncService, BindableService {

  private final CreateUserUseCase createUser;

  public UserFabricGrpcService(CreateUserUseCase createUser) {
    this.createUser = createUser;
  }

  @Override
  public ServerServiceDefinition bindService() {
    // The service brings its own token extraction, so whoever serves it needs no extra wiring.
    return ServerInterceptors.intercept(UserServiceGrpc.bindService(this), new BearerTokenInterceptor());
  }

  @Override
  public void createUser(CreateUserRequest request, StreamObserver<CreateUserResponse> observer) {
    Optional<String> token = BearerTokenInterceptor.BEARER_TOKEN.get();
    if (token == null || token.isEmpty()) {
      UseCaseCall.refuseMissingToken("userfabric.v1.CreateUser", observer);
      return;
    }
    UseCaseCall.respond("userfabric.v1.CreateUser", observer, () -> ProtoMapper.toResponse(
        createUser.createUser(new CreateUserCommand(new AccessToken(token.get())))));
  }
}
