package dev.userfabric.adapter.rpc;

import com.google.protobuf.Timestamp;
import dev.userfabric.domain.model.AccessToken;
import dev.userfabric.domain.port.in.RevokeAccessTokenUseCase;
import dev.userfabric.domain.port.in.RevokeUserTokensCommand;
import dev.userfabric.domain.port.in.RevokeUserTokensUseCase;
import dev.userfabric.proto.v1.RevokeAccessTokenRequest;
import dev.userfabric.proto.v1.RevokeAccessTokenResponse;
import dev.userfabric.proto.v1.RevokeUserTokensRequest;
import dev.userfabric.proto.v1.RevokeUserTokensResponse;
import dev.userfabric.proto.v1.TokenServiceGrpc;
import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.Optional;

/** Serves {@code userfabric.v1.TokenService}: logout, and revoking all of a user's tokens. */
public final class TokenGrpcService implements TokenServiceGrpc.AsyncService, BindableService {

  private static final String REVOKE_TOKEN = "userfabric.v1.TokenService/RevokeAccessToken";
  private static final String REVOKE_USER = "userfabric.v1.TokenService/RevokeUserTokens";

  private final RevokeAccessTokenUseCase revokeAccessToken;
  private final RevokeUserTokensUseCase revokeUserTokens;

  public TokenGrpcService(RevokeAccessTokenUseCase revokeAccessToken, RevokeUserTokensUseCase revokeUserTokens) {
    this.revokeAccessToken = revokeAccessToken;
    this.revokeUserTokens = revokeUserTokens;
  }

  @Override
  public ServerServiceDefinition bindService() {
    return ServerInterceptors.intercept(TokenServiceGrpc.bindService(this), new CallerInterceptor());
  }

  @Override
  public void revokeAccessToken(RevokeAccessTokenRequest request, StreamObserver<RevokeAccessTokenResponse> observer) {
    Optional<String> token = CallerInterceptor.currentToken();
    if (token.isEmpty()) {
      UseCaseCall.refuse(REVOKE_TOKEN, FailureToStatus.MISSING_TOKEN, "no bearer token", observer);
      return;
    }
    UseCaseCall.respond(REVOKE_TOKEN, token, observer, () -> RevokeAccessTokenResponse.newBuilder()
        .setExpiresAt(timestamp(revokeAccessToken.revokeAccessToken(new AccessToken(token.get())).expiresAt()))
        .build());
  }

  @Override
  public void revokeUserTokens(RevokeUserTokensRequest request, StreamObserver<RevokeUserTokensResponse> observer) {
    Optional<String> token = CallerInterceptor.currentToken();
    if (token.isEmpty()) {
      UseCaseCall.refuse(REVOKE_USER, FailureToStatus.MISSING_TOKEN, "no bearer token", observer);
      return;
    }
    UseCaseCall.respond(REVOKE_USER, token, observer, () -> RevokeUserTokensResponse.newBuilder()
        .setIssuedBefore(timestamp(revokeUserTokens.revokeUserTokens(
            new RevokeUserTokensCommand(new AccessToken(token.get()), request.getUserId()))))
        .build());
  }

  private static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
  }
}
