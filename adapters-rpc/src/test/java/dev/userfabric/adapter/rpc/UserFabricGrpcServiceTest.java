package dev.userfabric.adapter.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.userfabric.domain.model.AccessDenied;
import dev.userfabric.domain.model.CacheUnavailable;
import dev.userfabric.domain.model.CallAbandoned;
import dev.userfabric.domain.model.CorruptUserRecord;
import dev.userfabric.domain.model.Overloaded;
import dev.userfabric.domain.model.RevocationListUnavailable;
import io.grpc.protobuf.StatusProto;
import dev.userfabric.domain.model.EventPublishFailed;
import dev.userfabric.domain.model.IdentityProviderUnavailable;
import dev.userfabric.domain.model.InvalidAccessToken;
import dev.userfabric.domain.model.InvalidUserData;
import dev.userfabric.domain.model.UserProfileUnavailable;
import dev.userfabric.domain.port.in.CreateUserResult;
import dev.userfabric.domain.port.in.CreateUserUseCase;
import dev.userfabric.domain.testing.Users;
import dev.userfabric.proto.v1.CreateUserRequest;
import dev.userfabric.proto.v1.CreateUserResponse;
import dev.userfabric.proto.v1.UserServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class UserFabricGrpcServiceTest {

  private final AtomicReference<String> tokenSeen = new AtomicReference<>();
  private final AtomicReference<Supplier<CreateUserResult>> behaviour = new AtomicReference<>();
  private final CreateUserUseCase useCase = command -> {
    tokenSeen.set(command.accessToken().value());
    return behaviour.get().get();
  };
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(new UserFabricGrpcService(useCase, UnusedUseCases.READ, UnusedUseCases.REFRESH, UnusedUseCases.DELETE, UnusedUseCases.UNLINK))
        .addService(new DemeterUserGrpcService(useCase))
        .build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  @Test
  public void returnsTheUserAndWhetherThisCallCreatedIt() {
    behaviour.set(() -> CreateUserResult.created(Users.fullUser("ada")));

    CreateUserResponse response = stub("Bearer abc.def.ghi").createUser(CreateUserRequest.getDefaultInstance());

    assertTrue(response.getCreated());
    assertEquals(Users.fullUser("ada").id().toString(), response.getUser().getId());
    assertEquals("ada@example.test", response.getUser().getProfile().getEmail());
    assertEquals("abc.def.ghi", tokenSeen.get());
  }

  @Test
  public void leavesAbsentClaimsUnset() {
    behaviour.set(() -> CreateUserResult.existing(Users.bareUser("ada")));

    CreateUserResponse response = stub("Bearer t").createUser(CreateUserRequest.getDefaultInstance());

    assertFalse(response.getCreated());
    assertFalse(response.getUser().getProfile().hasEmail());
  }

  @Test
  public void acceptsTheBearerSchemeInAnyCase() {
    behaviour.set(() -> CreateUserResult.existing(Users.bareUser("ada")));

    stub("bEaReR t0k3n").createUser(CreateUserRequest.getDefaultInstance());

    assertEquals("t0k3n", tokenSeen.get());
  }

  static Stream<Arguments> malformedAuthorization() {
    return Stream.of(Arguments.of((String) null), Arguments.of("Basic dXNlcjpwdw=="),
        Arguments.of("Bearer"), Arguments.of("Bearer "), Arguments.of("Bearer a b"), Arguments.of("abc"));
  }

  @ParameterizedTest
  @MethodSource("malformedAuthorization")
  public void refusesAMissingOrMalformedTokenWithoutCallingTheDomain(String authorization) {
    behaviour.set(() -> CreateUserResult.created(Users.fullUser("ada")));

    StatusRuntimeException error = assertThrows(StatusRuntimeException.class,
        () -> stub(authorization).createUser(CreateUserRequest.getDefaultInstance()));

    assertEquals(Status.Code.UNAUTHENTICATED, error.getStatus().getCode());
    assertEquals("ACCESS_TOKEN_MISSING", errorInfo(error).getReason());
    assertEquals(null, tokenSeen.get());
  }

  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of(new InvalidAccessToken("signature refused: kid x"), Status.Code.UNAUTHENTICATED, "ACCESS_TOKEN_INVALID"),
        Arguments.of(new InvalidAccessToken(InvalidAccessToken.Reason.EXPIRED, "exp passed 90s ago", null), Status.Code.UNAUTHENTICATED, "ACCESS_TOKEN_EXPIRED"),
        Arguments.of(new InvalidAccessToken(InvalidAccessToken.Reason.REVOKED, "jti on the list", null), Status.Code.UNAUTHENTICATED, "ACCESS_TOKEN_REVOKED"),
        Arguments.of(new AccessDenied(AccessDenied.Reason.INSUFFICIENT_SCOPE, "lacks users:create"), Status.Code.PERMISSION_DENIED, "INSUFFICIENT_SCOPE"),
        Arguments.of(new AccessDenied(AccessDenied.Reason.NOT_A_USER_TOKEN, "client token"), Status.Code.PERMISSION_DENIED, "NOT_A_USER_TOKEN"),
        Arguments.of(new AccessDenied(AccessDenied.Reason.REFUSED_BY_IDENTITY_PROVIDER, "userinfo 403"), Status.Code.PERMISSION_DENIED, "IDENTITY_PROVIDER_REFUSED"),
        Arguments.of(new IdentityProviderUnavailable("jwks down"), Status.Code.UNAVAILABLE, "IDENTITY_PROVIDER_UNAVAILABLE"),
        Arguments.of(new CacheUnavailable("redis down"), Status.Code.UNAVAILABLE, "USER_STORE_UNAVAILABLE"),
        Arguments.of(new RevocationListUnavailable("redis down", null), Status.Code.UNAVAILABLE, "REVOCATION_LIST_UNAVAILABLE"),
        Arguments.of(new EventPublishFailed("nack"), Status.Code.UNAVAILABLE, "EVENT_BROKER_UNAVAILABLE"),
        Arguments.of(new InvalidUserData("bad"), Status.Code.INVALID_ARGUMENT, "INVALID_USER_DATA"),
        Arguments.of(new UserProfileUnavailable("userinfo body is not JSON"), Status.Code.UNAVAILABLE, "IDENTITY_PROVIDER_BAD_RESPONSE"),
        Arguments.of(new CorruptUserRecord("v=99", null), Status.Code.DATA_LOSS, "USER_RECORD_CORRUPT"),
        Arguments.of(new Overloaded("1024 awaiting confirms"), Status.Code.RESOURCE_EXHAUSTED, "OVERLOADED"),
        Arguments.of(new dev.userfabric.domain.model.UserNotFound("user x"), Status.Code.NOT_FOUND, "USER_NOT_FOUND"),
        Arguments.of(new dev.userfabric.domain.model.ProvisioningRefused("company-emails", "ada@evil.test"), Status.Code.PERMISSION_DENIED, "PROVISIONING_POLICY"),
        Arguments.of(new dev.userfabric.domain.model.LinkPending("user x is being created"), Status.Code.UNAVAILABLE, "IDENTITY_LINK_PENDING"),
        Arguments.of(new InvalidUserData("exp passed", new InvalidAccessToken(InvalidAccessToken.Reason.EXPIRED, "exp", null)), Status.Code.INVALID_ARGUMENT, "EVALUATED_TOKEN_REFUSED"),
        Arguments.of(new CallAbandoned(CallAbandoned.Reason.DEADLINE_EXCEEDED, "late"), Status.Code.DEADLINE_EXCEEDED, "DEADLINE_EXCEEDED"),
        Arguments.of(new IllegalStateException("secret internals at 10.0.0.7"), Status.Code.INTERNAL, "INTERNAL_ERROR"));
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource("failures")
  public void mapsEachFailureToItsStatusAndReasonWithoutLeakingItsMessage(
      RuntimeException failure, Status.Code code, String reason) {
    behaviour.set(() -> {
      throw failure;
    });

    StatusRuntimeException error = assertThrows(StatusRuntimeException.class,
        () -> stub("Bearer t").createUser(CreateUserRequest.getDefaultInstance()));

    assertEquals(code, error.getStatus().getCode());
    assertFalse(error.getStatus().getDescription().contains(failure.getMessage()));
    ErrorInfo info = errorInfo(error);
    assertEquals(reason, info.getReason());
    assertEquals("userfabric.dev", info.getDomain());
  }

  @Test
  public void aPolicyRefusalNamesTheRuleInTheErrorInfo() {
    behaviour.set(() -> {
      throw new dev.userfabric.domain.model.ProvisioningRefused("company-emails", "email domain evil.test");
    });

    StatusRuntimeException error = assertThrows(StatusRuntimeException.class,
        () -> stub("Bearer t").createUser(CreateUserRequest.getDefaultInstance()));

    assertEquals("company-emails", errorInfo(error).getMetadataOrThrow("rule"));
    assertFalse(error.getStatus().getDescription().contains("evil.test"));
  }

  @Test
  public void tellsTheClientWhenToRetryIfTheProviderSaid() throws Exception {
    behaviour.set(() -> {
      throw new IdentityProviderUnavailable("429", null, java.time.Duration.ofSeconds(7));
    });

    StatusRuntimeException error = assertThrows(StatusRuntimeException.class,
        () -> stub("Bearer t").createUser(CreateUserRequest.getDefaultInstance()));

    RetryInfo retry = StatusProto.fromThrowable(error).getDetailsList().stream()
        .filter(any -> any.is(RetryInfo.class)).findFirst().orElseThrow().unpack(RetryInfo.class);
    assertEquals(7, retry.getRetryDelay().getSeconds());
  }

  static ErrorInfo errorInfo(StatusRuntimeException error) {
    try {
      return StatusProto.fromThrowable(error).getDetailsList().stream()
          .filter(any -> any.is(ErrorInfo.class)).findFirst().orElseThrow().unpack(ErrorInfo.class);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  public void theUseCaseSeesTheCallersDeadline() {
    behaviour.set(() -> {
      Duration left = new GrpcCallerBudget().apply(Duration.ofMinutes(1));
      assertTrue(left.compareTo(Duration.ofSeconds(3)) <= 0 && left.compareTo(Duration.ofSeconds(2)) > 0, left.toString());
      return CreateUserResult.existing(Users.fullUser("ada"));
    });

    stub("Bearer abc").withDeadlineAfter(3, TimeUnit.SECONDS).createUser(CreateUserRequest.getDefaultInstance());
  }

  @Test
  public void aCallerWithoutADeadlineGetsTheDefaultBudget() {
    behaviour.set(() -> {
      Duration left = new GrpcCallerBudget().apply(Duration.ofMinutes(1));
      assertTrue(left.compareTo(UseCaseCall.DEFAULT_BUDGET) <= 0
          && left.compareTo(UseCaseCall.DEFAULT_BUDGET.minusSeconds(2)) > 0, left.toString());
      return CreateUserResult.existing(Users.fullUser("ada"));
    });

    stub("Bearer abc").createUser(CreateUserRequest.getDefaultInstance());
  }

  @Test
  public void servesTheSeedContractWithTheTokenInTheBody() {
    behaviour.set(() -> CreateUserResult.created(Users.fullUser("ada")));

    var response = dev.userfabric.proto.demeter.ops.v1alpha.UserServiceGrpc.newBlockingStub(channel)
        .createUser(dev.userfabric.proto.demeter.ops.v1alpha.CreateUserRequest.newBuilder()
            .setToken("body-token").build());

    assertEquals(Users.fullUser("ada").id().toString(), response.getId());
    assertEquals("ada@example.test", response.getEmail());
    assertEquals("body-token", tokenSeen.get());
  }

  @Test
  public void refusesTheSeedContractWithoutAToken() {
    StatusRuntimeException error = assertThrows(StatusRuntimeException.class,
        () -> dev.userfabric.proto.demeter.ops.v1alpha.UserServiceGrpc.newBlockingStub(channel)
            .createUser(dev.userfabric.proto.demeter.ops.v1alpha.CreateUserRequest.getDefaultInstance()));

    assertEquals(Status.Code.UNAUTHENTICATED, error.getStatus().getCode());
  }

  private UserServiceGrpc.UserServiceBlockingStub stub(String authorization) {
    Metadata headers = new Metadata();
    if (authorization != null) {
      headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), authorization);
    }
    return UserServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }
}
