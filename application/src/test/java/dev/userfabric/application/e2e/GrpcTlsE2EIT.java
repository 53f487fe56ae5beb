package dev.userfabric.application.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userfabric.adapter.oauth.testing.TestIdentityProvider;
import dev.userfabric.proto.v1.CreateUserRequest;
import dev.userfabric.testing.faults.FreePorts;
import dev.userfabric.proto.v1.CreateUserResponse;
import dev.userfabric.proto.v1.UserServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.runtime.server.EmbeddedServer;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * gRPC over TLS, with and without client certificates, against the real Redis and RabbitMQ and
 * with a real TLS client: the handshake is the test, so nothing is mocked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrpcTlsE2EIT {

  private TestIdentityProvider idp;
  private TestServers servers;
  private SelfSignedCertificate serverCertificate;
  private SelfSignedCertificate clientCertificate;
  private SelfSignedCertificate strangerCertificate;

  @BeforeAll
  void start() throws Exception {
    idp = new TestIdentityProvider();
    servers = new TestServers();
    serverCertificate = new SelfSignedCertificate("localhost");
    clientCertificate = new SelfSignedCertificate("trusted-client");
    strangerCertificate = new SelfSignedCertificate("stranger");
  }

  @AfterAll
  void stop() throws Exception {
    servers.close();
    idp.close();
    serverCertificate.delete();
    clientCertificate.delete();
    strangerCertificate.delete();
  }

  @Test
  void aTlsServerAnswersTlsCallsAndRefusesPlaintext() throws Exception {
    int port = FreePorts.next();
    try (EmbeddedServer server = start(port, Map.of())) {
      assertTrue(createUser(tls(port, builder -> builder), "tls-alice").getCreated());
      assertUnavailable(() -> createUser(plaintext(port), "tls-bob"));
    }
  }

  @Test
  void mutualTlsAnswersOnlyCallersWithATrustedCertificate() throws Exception {
    int port = FreePorts.next();
    try (EmbeddedServer server = start(port, Map.of(
        "userfabric.grpc.tls.client-ca", clientCertificate.certificate().getPath()))) {
      ManagedChannel trusted = tls(port,
          builder -> builder.keyManager(clientCertificate.certificate(), clientCertificate.privateKey()));
      ManagedChannel stranger = tls(port,
          builder -> builder.keyManager(strangerCertificate.certificate(), strangerCertificate.privateKey()));
      ManagedChannel anonymous = tls(port, builder -> builder);

      assertTrue(createUser(trusted, "mtls-alice").getCreated());
      assertUnavailable(() -> createUser(stranger, "mtls-mallory"));
      assertUnavailable(() -> createUser(anonymous, "mtls-eve"));
    }
  }

  @Test
  void optionalClientAuthenticationAnswersAnonymousAndCertifiedCallers() throws Exception {
    int port = FreePorts.next();
    try (EmbeddedServer server = start(port, Map.of(
        "userfabric.grpc.tls.client-ca", clientCertificate.certificate().getPath(),
        "userfabric.grpc.tls.client-auth", "optional"))) {
      ManagedChannel trusted = tls(port,
          builder -> builder.keyManager(clientCertificate.certificate(), clientCertificate.privateKey()));
      assertTrue(createUser(tls(port, builder -> builder), "opt-alice").getCreated());
      assertTrue(createUser(trusted, "opt-bob").getCreated());
    }
  }

  @Test
  void anUnreadableKeyFileIsASettingProblemNamingTheProperty() {
    Map<String, Object> properties = properties(FreePorts.next(),
        Map.of("userfabric.grpc.tls.private-key", "/nonexistent/server.key"));
    RuntimeException failure = assertThrows(RuntimeException.class,
        () -> ApplicationContext.run(EmbeddedServer.class, properties));
    Throwable cause = failure;
    while (cause != null && !(cause instanceof ConfigurationException)) {
      cause = cause.getCause();
    }
    assertTrue(cause != null && cause.getMessage().contains("userfabric.grpc.tls.private-key"), String.valueOf(failure));
  }

  private EmbeddedServer start(int port, Map<String, String> tls) {
    return ApplicationContext.run(EmbeddedServer.class, properties(port, tls));
  }

  private Map<String, Object> properties(int port, Map<String, String> tls) {
    Map<String, String> properties = servers.serviceProperties(port, idp.issuer(), TestIdentityProvider.AUDIENCE);
    properties.put("userfabric.rabbitmq.consumers", "0");
    properties.put("userfabric.grpc.tls.cert-chain", serverCertificate.certificate().getPath());
    properties.put("userfabric.grpc.tls.private-key", serverCertificate.privateKey().getPath());
    properties.putAll(tls);
    return Map.copyOf(properties);
  }

  private ManagedChannel tls(int port, UnaryOperator<SslContextBuilder> clientSide) throws Exception {
    SslContextBuilder context = GrpcSslContexts.forClient().trustManager(serverCertificate.certificate());
    return NettyChannelBuilder.forAddress("127.0.0.1", port).overrideAuthority("localhost")
        .sslContext(clientSide.apply(context).build()).useTransportSecurity().build();
  }

  private static ManagedChannel plaintext(int port) {
    return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
  }

  private CreateUserResponse createUser(ManagedChannel channel, String subject) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + idp.tokenFor(subject));
    try {
      return UserServiceGrpc.newBlockingStub(channel)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
          .withDeadlineAfter(20, TimeUnit.SECONDS)
          .createUser(CreateUserRequest.getDefaultInstance());
    } finally {
      channel.shutdownNow();
    }
  }

  private static void assertUnavailable(Runnable call) {
    StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, call::run);
    assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode(), refused.toString());
  }
}
