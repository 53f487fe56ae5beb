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

  private static final String METHOD = "userfabric.v1.UserService/CreateUser";

  private final CreateUserUseCase createUser;

  public UserFabricGrpcService(CreateUserUseCase createUser) {
    this.createUser = createUser;
  }

  @Override
  public ServerServiceDefinition bindService() {
    // The service brings its own token extraction, so whoever serves it needs no extra wiring.
    return ServerInterceptors.intercept(UserServiceGrpc.bindService(this), new CallerInterceptor());
  }

  @Override
  public void createUser(CreateUserRequest request, StreamObserver<CreateUserResponse> observer) {
    Optional<String> token = CallerInterceptor.currentToken();
    if (token.isEmpty()) {
      UseCaseCall.refuse(METHOD, FailureToStatus.MISSING_TOKEN, "no bearer token", observer);
      return;
    }
    UseCaseCall.respond(METHOD, token, observer, () -> ProtoMapper.toResponse(
        createUser.createUser(new CreateUserCommand(new AccessToken(token.get())))));
  }
}
