package dev.userfabric.adapter.rpc;

import dev.userfabric.domain.model.AccessToken;
import dev.userfabric.domain.port.in.CreateUserCommand;
import dev.userfabric.domain.port.in.CreateUserUseCase;
import dev.userfabric.domain.port.in.DeleteUserCommand;
import dev.userfabric.domain.port.in.DeleteUserResult;
import dev.userfabric.domain.port.in.DeleteUserUseCase;
import dev.userfabric.domain.port.in.GetUserCommand;
import dev.userfabric.domain.port.in.ListUsersCommand;
import dev.userfabric.domain.port.in.LookupUserCommand;
import dev.userfabric.domain.port.in.ReadUserUseCase;
import dev.userfabric.domain.port.in.RefreshUserCommand;
import dev.userfabric.domain.port.in.RefreshUserResult;
import dev.userfabric.domain.port.in.RefreshUserUseCase;
import dev.userfabric.domain.port.in.UnlinkIdentityCommand;
import dev.userfabric.domain.port.in.UnlinkIdentityUseCase;
import dev.userfabric.domain.port.out.UserPage;
import dev.userfabric.proto.v1.CreateUserRequest;
import dev.userfabric.proto.v1.CreateUserResponse;
import dev.userfabric.proto.v1.DeleteUserRequest;
import dev.userfabric.proto.v1.DeleteUserResponse;
import dev.userfabric.proto.v1.GetUserRequest;
import dev.userfabric.proto.v1.GetUserResponse;
import dev.userfabric.proto.v1.ListUsersRequest;
import dev.userfabric.proto.v1.ListUsersResponse;
import dev.userfabric.proto.v1.LookupUserRequest;
import dev.userfabric.proto.v1.LookupUserResponse;
import dev.userfabric.proto.v1.RefreshUserRequest;
import dev.userfabric.proto.v1.RefreshUserResponse;
import dev.userfabric.proto.v1.UnlinkIdentityRequest;
import dev.userfabric.proto.v1.UnlinkIdentityResponse;
import dev.userfabric.proto.v1.UserServiceGrpc;
import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/** Serves {@code userfabric.v1.UserService}, the token in the metadata of every call. */
public final class UserFabricGrpcService implements UserServiceGrpc.AsyncService, BindableService {

  private static final String SERVICE = "userfabric.v1.UserService/";

  private final CreateUserUseCase createUser;
  private final ReadUserUseCase readUser;
  private final RefreshUserUseCase refreshUser;
  private final DeleteUserUseCase deleteUser;
  private final UnlinkIdentityUseCase unlinkIdentity;

  public UserFabricGrpcService(CreateUserUseCase createUser, ReadUserUseCase readUser,
      RefreshUserUseCase refreshUser, DeleteUserUseCase deleteUser, UnlinkIdentityUseCase unlinkIdentity) {
    this.createUser = createUser;
    this.readUser = readUser;
    this.refreshUser = refreshUser;
    this.deleteUser = deleteUser;
    this.unlinkIdentity = unlinkIdentity;
  }

  @Override
  public ServerServiceDefinition bindService() {
    // The service brings its own token extraction, so whoever serves it needs no extra wiring.
    return ServerInterceptors.intercept(UserServiceGrpc.bindService(this), new CallerInterceptor());
  }

  @Override
  public void createUser(CreateUserRequest request, StreamObserver<CreateUserResponse> observer) {
    withToken("CreateUser", observer, token ->
        ProtoMapper.toResponse(createUser.createUser(new CreateUserCommand(token))));
  }

  @Override
  public void getUser(GetUserRequest request, StreamObserver<GetUserResponse> observer) {
    withToken("GetUser", observer, token -> GetUserResponse.newBuilder()
        .setUser(ProtoMapper.toProto(readUser.getUser(new GetUserCommand(token, request.getUserId()))))
        .build());
  }

  @Override
  public void lookupUser(LookupUserRequest request, StreamObserver<LookupUserResponse> observer) {
    withToken("LookupUser", observer, token -> LookupUserResponse.newBuilder()
        .setUser(ProtoMapper.toProto(readUser.lookupUser(
            new LookupUserCommand(token, request.getIssuer(), request.getSubject()))))
        .build());
  }

  @Override
  public void listUsers(ListUsersRequest request, StreamObserver<ListUsersResponse> observer) {
    withToken("ListUsers", observer, token -> {
      Optional<String> after = PageTokens.decode(request.getPageToken(), request.getIssuer());
      UserPage page = readUser.listUsers(new ListUsersCommand(token, request.getPageSize(), after,
          Optional.of(request.getIssuer())));
      ListUsersResponse.Builder response = ListUsersResponse.newBuilder();
      page.users().forEach(user -> response.addUsers(ProtoMapper.toProto(user)));
      page.next().ifPresent(last -> response.setNextPageToken(PageTokens.encode(last.toString(), request.getIssuer())));
      return response.build();
    });
  }

  @Override
  public void refreshUser(RefreshUserRequest request, StreamObserver<RefreshUserResponse> observer) {
    withToken("RefreshUser", observer, token -> {
      RefreshUserResult result = refreshUser.refreshUser(new RefreshUserCommand(token));
      return RefreshUserResponse.newBuilder()
          .setUser(ProtoMapper.toProto(result.user()))
          .addAllChangedFields(result.changedFields().stream().sorted().toList())
          .build();
    });
  }

  @Override
  public void deleteUser(DeleteUserRequest request, StreamObserver<DeleteUserResponse> observer) {
    withToken("DeleteUser", observer, token -> {
      DeleteUserResult result = deleteUser.deleteUser(new DeleteUserCommand(token, request.getUserId()));
      return DeleteUserResponse.newBuilder()
          .setUserId(result.event().userId().toString())
          .setVersion(result.event().version())
          .setTokensRevokedBefore(ProtoMapper.timestamp(result.tokensRevokedBefore()))
          .build();
    });
  }

  @Override
  public void unlinkIdentity(UnlinkIdentityRequest request, StreamObserver<UnlinkIdentityResponse> observer) {
    withToken("UnlinkIdentity", observer, token -> UnlinkIdentityResponse.newBuilder()
        .setUser(ProtoMapper.toProto(unlinkIdentity.unlinkIdentity(new UnlinkIdentityCommand(token, request.getUserId(),
            request.getIdentity().getIssuer(), request.getIdentity().getSubject()))))
        .build());
  }

  /** Every method needs a bearer token; without one the domain is not asked. */
  private static <T> void withToken(String method, StreamObserver<T> observer, Function<AccessToken, T> call) {
    Optional<String> token = CallerInterceptor.currentToken();
    if (token.isEmpty()) {
      UseCaseCall.refuse(SERVICE + method, FailureToStatus.MISSING_TOKEN, "no bearer token", observer);
      return;
    }
    Supplier<T> useCase = () -> call.apply(new AccessToken(token.get()));
    UseCaseCall.respond(SERVICE + method, token, observer, useCase);
  }
}
