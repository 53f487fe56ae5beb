package dev.userfabric.adapter.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.userfabric.domain.model.AccessDenied;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.port.in.RevokeUserTokensCommand;
import dev.userfabric.domain.testing.Tokens;
import dev.userfabric.domain.testing.Users;
import dev.userfabric.proto.v1.RevokeAccessTokenRequest;
import dev.userfabric.proto.v1.RevokeUserTokensRequest;
import dev.userfabric.proto.v1.TokenServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TokenGrpcServiceTest {

  private static final Instant CUTOFF = Instant.parse("2026-11-21T09:00:00.250Z");

  private final AtomicReference<String> revokedToken = new AtomicReference<>();
  private final AtomicReference<RevokeUserTokensCommand> revokeAll = new AtomicReference<>();
  private volatile boolean adminScopeMissing;
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    TokenGrpcService service = new TokenGrpcService(
        token -> {
          revokedToken.set(token.value());
          return Tokens.personal(Users.identity("ada"), "jti");
        },
        command -> {
          if (adminScopeMissing) {
            throw new AccessDenied(AccessDenied.Reason.INSUFFICIENT_SCOPE, "lacks admin scope");
          }
          revokeAll.set(command);
          return CUTOFF;
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
  public void logoutRevokesThePresentedTokenAndSaysUntilWhen() {
    var response = stub("Bearer ada-token").revokeAccessToken(RevokeAccessTokenRequest.getDefaultInstance());

    assertEquals("ada-token", revokedToken.get());
    assertEquals(Tokens.EXPIRES_AT.getEpochSecond(), response.getExpiresAt().getSeconds());
  }

  @Test
  public void revokesEveryTokenOfAUserForAnAdministrator() {
    UserId ada = UserId.of(Users.identity("ada"));

    var response = stub("Bearer admin-token").revokeUserTokens(
        RevokeUserTokensRequest.newBuilder().setUserId(ada.toString()).build());

    assertEquals(ada.toString(), revokeAll.get().userId());
    assertEquals("admin-token", revokeAll.get().administratorToken().value());
    assertEquals(CUTOFF.getEpochSecond(), response.getIssuedBefore().getSeconds());
    assertEquals(CUTOFF.getNano(), response.getIssuedBefore().getNanos());
  }

  @Test
  public void refusesAnAdministratorWithoutTheScope() {
    adminScopeMissing = true;

    StatusRuntimeException error = assertThrows(StatusRuntimeException.class, () -> stub("Bearer ada-token")
        .revokeUserTokens(RevokeUserTokensRequest.newBuilder().setUserId(UserId.of(Users.identity("bob")).toString()).build()));

    assertEquals(Status.Code.PERMISSION_DENIED, error.getStatus().getCode());
    assertEquals("INSUFFICIENT_SCOPE", UserFabricGrpcServiceTest.errorInfo(error).getReason());
  }

  @Test
  public void leavesTheUserIdToTheUseCaseWhichAuthorisesFirst() {
    adminScopeMissing = true;
    StatusRuntimeException error = assertThrows(StatusRuntimeException.class, () -> stub("Bearer ada-token")
        .revokeUserTokens(RevokeUserTokensRequest.newBuilder().setUserId("ada").build()));

    assertEquals(Status.Code.PERMISSION_DENIED, error.getStatus().getCode()); // not INVALID_ARGUMENT
  }

  @Test
  public void refusesCallsWithoutAToken() {
    StatusRuntimeException error = assertThrows(StatusRuntimeException.class,
        () -> stub(null).revokeAccessToken(RevokeAccessTokenRequest.getDefaultInstance()));

    assertEquals(Status.Code.UNAUTHENTICATED, error.getStatus().getCode());
    assertEquals(null, revokedToken.get());
  }

  private TokenServiceGrpc.TokenServiceBlockingStub stub(String authorization) {
    Metadata headers = new Metadata();
    if (authorization != null) {
      headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), authorization);
    }
    return TokenServiceGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }
}
