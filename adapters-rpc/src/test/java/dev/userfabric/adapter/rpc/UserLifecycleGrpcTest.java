package dev.userfabric.adapter.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userfabric.domain.model.AccessDenied;
import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserDeleted;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.model.UserNotFound;
import dev.userfabric.domain.port.in.DeleteUserResult;
import dev.userfabric.domain.port.in.GetUserCommand;
import dev.userfabric.domain.port.in.ListUsersCommand;
import dev.userfabric.domain.port.in.LookupUserCommand;
import dev.userfabric.domain.port.in.ReadUserUseCase;
import dev.userfabric.domain.port.in.RefreshUserResult;
import dev.userfabric.domain.port.out.UserPage;
import dev.userfabric.domain.testing.Users;
import dev.userfabric.proto.v1.DeleteUserRequest;
import dev.userfabric.proto.v1.GetUserRequest;
import dev.userfabric.proto.v1.ListUsersRequest;
import dev.userfabric.proto.v1.LookupUserRequest;
import dev.userfabric.proto.v1.RefreshUserRequest;
import dev.userfabric.proto.v1.UserServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GetUser, LookupUser, ListUsers, RefreshUser and DeleteUser: requests in, responses and statuses out. */
class UserLifecycleGrpcTest {

  private final User ada = Users.user(Users.ISSUER, "ada", "ada@example.test", 42);
  private final User bob = Users.user(Users.ISSUER, "bob", "bob@example.test", 7);
  private final AtomicReference<Object> seen = new AtomicReference<>();
  private volatile RuntimeException failure;
  private Server server;
  private ManagedChannel channel;

  private final ReadUserUseCase read = new ReadUserUseCase() {
    @Override
    public User getUser(GetUserCommand command) {
      seen.set(command);
      failIfAsked();
      return ada;
    }

    @Override
    public User lookupUser(LookupUserCommand command) {
      seen.set(command);
      failIfAsked();
      return bob;
    }

    @Override
    public UserPage listUsers(ListUsersCommand command) {
      seen.set(command);
      failIfAsked();
      return new UserPage(List.of(ada, bob), command.after().isEmpty() ? Optional.of(bob.id()) : Optional.empty());
    }
  };

  @BeforeEach
  void start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    UserFabricGrpcService service = new UserFabricGrpcService(UnusedUseCases.CREATE, read,
        command -> {
          seen.set(command);
          failIfAsked();
          return new RefreshUserResult(ada, Set.of("email", "name"));
        },
        command -> {
          seen.set(command);
          failIfAsked();
          return new DeleteUserResult(new UserDeleted(UUID.randomUUID(), Instant.parse("2026-12-01T10:00:00Z"),
              ada.identity(), 43), Instant.parse("2026-12-01T10:00:00Z"));
        },
        command -> {
          seen.set(command);
          failIfAsked();
          return ada.withLinked(new dev.userfabric.domain.model.Identity("https://b.example.test", "ada-at-b"), 44);
        });
    server = InProcessServerBuilder.forName(name).directExecutor().addService(service).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  @Test
  public void getUserPassesTheIdAndTokenAndAnswersTheUserWithItsVersion() {
    var response = stub("Bearer t").getUser(GetUserRequest.newBuilder().setUserId(bob.id().toString()).build());

    GetUserCommand command = (GetUserCommand) seen.get();
    assertEquals("t", command.accessToken().value());
    assertEquals(bob.id().toString(), command.userId());
    assertEquals(ada.id().toString(), response.getUser().getId());
    assertEquals(42, response.getUser().getVersion());
    assertEquals(ada.updatedAt().getEpochSecond(), response.getUser().getUpdatedAt().getSeconds());
  }

  @Test
  public void answersNotFoundForAUserNotStored() {
    failure = new UserNotFound("user x is not stored");

    StatusRuntimeException error = assertThrows(StatusRuntimeException.class,
        () -> stub("Bearer t").getUser(GetUserRequest.getDefaultInstance()));

    assertEquals(Status.Code.NOT_FOUND, error.getStatus().getCode());
    assertEquals("USER_NOT_FOUND", UserFabricGrpcServiceTest.errorInfo(error).getReason());
  }

  @Test
  public void answersPermissionDeniedWithoutTheScope() {
    failure = new AccessDenied(AccessDenied.Reason.INSUFFICIENT_SCOPE, "lacks read scope");

    StatusRuntimeException error = assertThrows(StatusRuntimeException.class,
        () -> stub("Bearer t").lookupUser(LookupUserRequest.newBuilder().setIssuer("i").setSubject("s").build()));

    assertEquals(Status.Code.PERMISSION_DENIED, error.getStatus().getCode());
    assertEquals("INSUFFICIENT_SCOPE", UserFabricGrpcServiceTest.errorInfo(error).getReason());
  }

  @Test
  public void lookupPassesTheIdentity() {
    var response = stub("Bearer t").lookupUser(
        LookupUserRequest.newBuilder().setIssuer(Users.ISSUER).setSubject("bob").build());

    LookupUserCommand command = (LookupUserCommand) seen.get();
    assertEquals(Users.ISSUER, command.issuer());
    assertEquals("bob", command.subject());
    assertEquals(bob.id().toString(), response.getUser().getId());
  }

  @Test
  public void listingHandsOutAnOpaquePageTokenThatLeadsToTheNextPage() {
    var first = stub("Bearer t").listUsers(ListUsersRequest.newBuilder().setPageSize(2).setIssuer(Users.ISSUER).build());

    assertEquals(2, first.getUsersCount());
    assertTrue(!first.getNextPageToken().isEmpty() && !first.getNextPageToken().contains(bob.id().toString()));
    ListUsersCommand firstCommand = (ListUsersCommand) seen.get();
    assertEquals(2, firstCommand.pageSize());
    assertEquals(Optional.of(Users.ISSUER), firstCommand.issuer());

    var second = stub("Bearer t").listUsers(ListUsersRequest.newBuilder().setPageSize(2).setIssuer(Users.ISSUER)
        .setPageToken(first.getNextPageToken()).build());

    assertEquals(Optional.of(bob.id().toString()), ((ListUsersCommand) seen.get()).after());
    assertEquals("", second.getNextPageToken());
  }

  @Test
  public void refusesAPageTokenOfAnotherListingOrNoneOfOurs() {
    var first = stub("Bearer t").listUsers(ListUsersRequest.newBuilder().setIssuer(Users.ISSUER).build());

    for (String token : List.of(first.getNextPageToken(), "not-base64!", "Zm9v")) {
      StatusRuntimeException error = assertThrows(StatusRuntimeException.class, () -> stub("Bearer t")
          .listUsers(ListUsersRequest.newBuilder().setIssuer("https://other.example.test").setPageToken(token).build()));
      assertEquals(Status.Code.INVALID_ARGUMENT, error.getStatus().getCode(), token);
    }
  }

  @Test
  public void refreshAnswersTheUserAndWhatChanged() {
    var response = stub("Bearer t").refreshUser(RefreshUserRequest.getDefaultInstance());

    assertEquals(List.of("email", "name"), response.getChangedFieldsList());
    assertEquals(ada.id().toString(), response.getUser().getId());
  }

  @Test
  public void deleteAnswersTheErasuresVersionAndTheRevocationCutoff() {
    var response = stub("Bearer t").deleteUser(DeleteUserRequest.newBuilder().setUserId(ada.id().toString()).build());

    assertEquals(ada.id().toString(), response.getUserId());
    assertEquals(43, response.getVersion());
    assertEquals(Instant.parse("2026-12-01T10:00:00Z").getEpochSecond(), response.getTokensRevokedBefore().getSeconds());
  }

  @Test
  public void everyMethodRefusesACallWithoutATokenBeforeTheDomainIsAsked() {
    List<Executable> calls = List.of(
        () -> stub(null).getUser(GetUserRequest.getDefaultInstance()),
        () -> stub(null).lookupUser(LookupUserRequest.getDefaultInstance()),
        () -> stub(null).listUsers(ListUsersRequest.getDefaultInstance()),
        () -> stub(null).refreshUser(RefreshUserRequest.getDefaultInstance()),
        () -> stub(null).deleteUser(DeleteUserRequest.getDefaultInstance()));

    for (Executable call : calls) {
      StatusRuntimeException error = assertThrows(StatusRuntimeException.class, call::execute);
      assertEquals(Status.Code.UNAUTHENTICATED, error.getStatus().getCode());
    }
    assertEquals(null, seen.get());
  }

  private void failIfAsked() {
    if (failure != null) {
      throw failure;
    }
  }

  private UserServiceGrpc.UserServiceBlockingStub stub(String authorization) {
    Metadata headers = new Metadata();
    if (authorization != null) {
      headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), authorization);
    }
    return UserServiceGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  /** A call the test runs and expects to fail. */
  interface Executable {
    void execute();
  }

  @Test
  public void unlinkIdentityPassesTheUserAndIdentityAndAnswersEveryIdentity() {
    var response = stub("Bearer t").unlinkIdentity(dev.userfabric.proto.v1.UnlinkIdentityRequest.newBuilder()
        .setUserId(ada.id().toString())
        .setIdentity(dev.userfabric.proto.v1.Identity.newBuilder().setIssuer("https://c.example.test").setSubject("c"))
        .build());

    var command = (dev.userfabric.domain.port.in.UnlinkIdentityCommand) seen.get();
    assertEquals(ada.id().toString(), command.userId());
    assertEquals("https://c.example.test", command.issuer());
    assertEquals("c", command.subject());
    assertEquals(List.of(ada.identity().issuer(), "https://b.example.test"),
        response.getUser().getIdentitiesList().stream().map(identity -> identity.getIssuer()).toList());
    assertEquals("ada-at-b", response.getUser().getIdentities(1).getSubject());
  }
}
