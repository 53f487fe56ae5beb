package dev.userfabric.application.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userfabric.proto.v1.UserServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.micronaut.test.support.TestPropertyProvider;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The service under test wired to the real Redis and RabbitMQ (names of this run only) and to
 * mock-oauth2-server, whose userinfo answers with the claims of the token presented: a new token
 * with other claims is the profile changing at the provider. For {@code @MicronautTest} classes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MockProviderServers implements TestPropertyProvider {

  static final String AUDIENCE = "userfabric-e2e";

  final MockOAuth2Server idp = new MockOAuth2Server();
  TestServers servers;
  ManagedChannel grpc;

  @Override
  public Map<String, String> getProperties() {
    try {
      idp.start();
      servers = new TestServers();
      int grpcPort = TestServers.freePort();
      grpc = NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
      return servers.mockOAuth2ServerProperties(grpcPort, idp.issuerUrl("default").toString(), AUDIENCE);
    } catch (Exception e) {
      throw new IllegalStateException("test servers are not available", e);
    }
  }

  @AfterAll
  void stopServers() throws Exception {
    grpc.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    idp.shutdown();
    servers.close();
  }

  /** A token as after a person's OpenID sign-in, with the profile the provider holds now. */
  String login(String subject, String email) {
    return idp.issueToken("default", subject, AUDIENCE,
        Map.of("email", email, "email_verified", true, "scope", "openid profile email")).serialize();
  }

  String admin() {
    return idp.issueToken("default", "operator-" + UUID.randomUUID(), AUDIENCE,
        Map.of("scope", "openid userfabric:admin")).serialize();
  }

  UserServiceGrpc.UserServiceBlockingStub users(String token) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    return UserServiceGrpc.newBlockingStub(grpc)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  static void eventually(Duration within, Condition condition) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.holds()) {
      assertTrue(System.nanoTime() < deadline, "condition not met within " + within);
      Thread.sleep(20);
    }
  }

  interface Condition {
    boolean holds() throws Exception;
  }
}
