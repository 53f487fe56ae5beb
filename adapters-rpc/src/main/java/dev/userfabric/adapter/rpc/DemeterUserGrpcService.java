package dev.userfabric.adapter.rpc;

import dev.userfabric.domain.model.AccessToken;
import dev.userfabric.domain.port.in.CreateUserCommand;
import dev.userfabric.domain.port.in.CreateUserUseCase;
import dev.userfabric.proto.demeter.ops.v1alpha.CreateUserRequest;
import dev.userfabric.proto.demeter.ops.v1alpha.CreateUserResponse;
import dev.userfabric.proto.demeter.ops.v1alpha.UserServiceGrpc;
import io.grpc.stub.StreamObserver;

/**
 * Serves the seed system's {@code demeter.ops.v1alpha.UserService} unchanged (token in the body)
 * so its existing clients keep working; same use case, same status codes.
 */
public final class DemeterUserGrpcService extends UserServiceGrpc.UserServiceImplBase {

  private final CreateUserUseCase createUser;

  public DemeterUserGrpcService(CreateUserUseCase createUser) {
    this.createUser = createUser;
  }

  @Override
  public void createUser(CreateUserRequest request, StreamObserver<CreateUserResponse> observer) {
    if (request.getToken().isBlank()) {
      UseCaseCall.refuseMissingToken("demeter.ops.v1alpha.CreateUser", observer);
      return;
    }
    UseCaseCall.respond("demeter.ops.v1alpha.CreateUser", observer, () -> ProtoMapper.toDemeterResponse(
        createUser.createUser(new CreateUserCommand(new AccessToken(request.getToken())))));
  }
}
