package dev.userfabric.adapter.rpc.cli;

import dev.userfabric.proto.v1.CreateUserRequest;
import dev.userfabric.proto.v1.CreateUserResponse;
import dev.userfabric.proto.v1.UserServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** One plaintext CreateUser call with a bearer token, for the service's own training run. */
public final class CreateUserCall {

  private CreateUserCall() {}

  /**
   * @return whether the user was created by this call
   * @throws io.grpc.StatusRuntimeException when the call fails
   */
  public static boolean createUser(String target, String accessToken, Duration deadline) {
    ManagedChannel channel = NettyChannelBuilder.forTarget(target).usePlaintext().build();
    try {
      Metadata headers = new Metadata();
      headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + accessToken);
      CreateUserResponse response = UserServiceGrpc.newBlockingStub(channel)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
          .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
          .createUser(CreateUserRequest.getDefaultInstance());
      return response.getCreated();
    } finally {
      channel.shutdownNow();
    }
  }
}
