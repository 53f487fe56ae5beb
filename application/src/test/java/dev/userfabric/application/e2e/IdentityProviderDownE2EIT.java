package dev.userfabric.application.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.userfabric.proto.v1.CreateUserRequest;
import dev.userfabric.proto.v1.UserServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The service started against a real provider that then goes away: calls fail with UNAVAILABLE
 * (retry later), not UNAUTHENTICATED, and quickly, not at the caller's deadline.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdentityProviderDownE2EIT implements TestPropertyProvider {

  private final MockOAuth2Server idp = new MockOAuth2Server();
  private TestServers servers;
  private ManagedChannel grpc;
  private String token;

  @Override
  public Map<String, String> getProperties() {
    try {
      idp.start();
      token = idp.issueToken("default", "ada", "userfabric-e2e").serialize();
      String issuer = idp.issuerUrl("default").toString();
      idp.shutdown(); // down before the service ever reaches it
      servers = new TestServers();
      int grpcPort = TestServers.freePort();
      grpc = NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
      return servers.mockOAuth2ServerProperties(grpcPort, issuer, "userfabric-e2e");
    } catch (Exception e) {
      throw new IllegalStateException("test servers are not available", e);
    }
  }

  @AfterAll
  void stop() throws Exception {
    grpc.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    servers.close();
  }

  @Test
  public void answersUnavailableWhileTheProviderIsDown() {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);

    StatusRuntimeException error = assertThrows(StatusRuntimeException.class,
        () -> UserServiceGrpc.newBlockingStub(grpc)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .createUser(CreateUserRequest.getDefaultInstance()));

    assertEquals(Status.Code.UNAVAILABLE, error.getStatus().getCode());
    assertFalse(error.getStatus().getDescription().contains("127.0.0.1"), "no internals to clients");
  }
}
