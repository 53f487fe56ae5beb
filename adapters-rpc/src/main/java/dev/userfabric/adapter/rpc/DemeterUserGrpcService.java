package dev.userfabric.adapter.rpc;

import dev.userfabric.domain.model.AccessToken;
import dev.userfabric.domain.port.in.CreateUserCommand;
import dev.userfabric.domain.port.in.CreateUserUseCase;
import dev.userfabric.proto.demeter.ops.v1alpha.CreateUserRequest;
import dev.userfabric.proto.demeter.ops.v1alpha.CreateUserResponse;
import dev.userfabric.proto.demeter.ops.v1alpha.UserServiceGrpc;
import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import java.util.Optional;

/**
 * Serves the seed system's {@code demeter.ops.v1alpha.UserService} unchanged (token in the body)
 * so its existing clients keep working; same use case, same status codes.
 */
public final class DemeterUserGrpcService implements UserServiceGrpc.AsyncService, BindableService {

  private static final String METHOD = "demeter.ops.v1alpha.UserService/CreateUser";

  private final CreateUserUseCase createUser;

  public DemeterUserGrpcService(CreateUserUseCase createUser) {
    this.createUser = createUser;
  }

  @Override
  public ServerServiceDefinition bindService() {
    return ServerInterceptors.intercept(UserServiceGrpc.bindService(this), new CallerInterceptor()); // peer for the log
  }

  @Override
  public void createUser(CreateUserRequest request, StreamObserver<CreateUserResponse> observer) {
    if (request.getToken().isBlank()) {
      UseCaseCall.refuse(METHOD, FailureToStatus.MISSING_TOKEN, "no token in the request", observer);
      return;
    }
    UseCaseCall.respond(METHOD, Optional.of(request.getToken()), observer, () -> ProtoMapper.toDemeterResponse(
        createUser.createUser(new CreateUserCommand(new AccessToken(request.getToken())))));
  }
}
