package dev.userfabric.application.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.rpc.ErrorInfo;
import com.rabbitmq.client.GetResponse;
import dev.userfabric.proto.v1.PolicyServiceGrpc;
import dev.userfabric.proto.v1.UserServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import io.micronaut.test.support.TestPropertyProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The service trusting two independent providers (two mock-oauth2-servers: own issuer, own keys,
 * own userinfo) and reading a provisioning policy file this class writes; real Redis and RabbitMQ
 * under names of this run only. Another service's queue sees every event.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TwoProviders implements TestPropertyProvider {

  static final String AUDIENCE = "userfabric-e2e";

  final MockOAuth2Server idpA = new MockOAuth2Server();
  final MockOAuth2Server idpB = new MockOAuth2Server();
  TestServers servers;
  ManagedChannel grpc;
  Path policyFile;
  String issuerA;
  String issuerB;
  String theirQueue;

  /** The policy file's first content; {@code %A} and {@code %B} stand for the two issuers. */
  abstract String policy();

  @Override
  public Map<String, String> getProperties() {
    try {
      idpA.start();
      idpB.start();
      issuerA = idpA.issuerUrl("a").toString();
      issuerB = idpB.issuerUrl("b").toString();
      servers = new TestServers();
      policyFile = Files.createTempFile("userfabric-policy", ".yaml");
      writePolicy(policy());
      int grpcPort = TestServers.freePort();
      grpc = NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
      Map<String, String> properties = new HashMap<>(servers.serviceProperties(grpcPort, issuerA, AUDIENCE));
      properties.remove("userfabric.oauth.issuer");
      properties.put("userfabric.oauth.issuers.a.issuer", issuerA);
      properties.put("userfabric.oauth.issuers.b.issuer", issuerB);
      properties.put("userfabric.oauth.token-types", "JWT");
      properties.put("userfabric.policy.file", policyFile.toString());
      properties.put("userfabric.policy.check-interval", "200ms");
      theirQueue = servers.channel.queueDeclare().getQueue();
      // The exchange is the service's to declare; an early bind needs it to exist.
      servers.channel.exchangeDeclare(servers.namePrefix + "userfabric.events", "topic", true);
      servers.channel.queueBind(theirQueue, servers.namePrefix + "userfabric.events", "#");
      return properties;
    } catch (Exception e) {
      throw new IllegalStateException("test servers are not available", e);
    }
  }

  @AfterAll
  void stopServers() throws Exception {
    grpc.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    idpA.shutdown();
    idpB.shutdown();
    servers.close();
    Files.deleteIfExists(policyFile);
  }

  void writePolicy(String yaml) {
    try {
      Path next = Files.createTempFile(policyFile.getParent(), "userfabric-policy", ".next");
      Files.writeString(next, yaml.replace("%A", issuerA).replace("%B", issuerB));
      // Replaced in one step, as a ConfigMap update does: the watcher never reads half a file.
      Files.move(next, policyFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A person's token at provider A or B after an OpenID sign-in, with these claims besides. */
  String login(MockOAuth2Server idp, String subject, Map<String, Object> claims) {
    Map<String, Object> all = new HashMap<>(claims);
    all.putIfAbsent("scope", "openid profile email");
    return idp.issueToken(idp == idpA ? "a" : "b", subject, AUDIENCE, all).serialize();
  }

  String admin() {
    return idpA.issueToken("a", "operator-" + UUID.randomUUID(), AUDIENCE,
        Map.of("scope", "openid userfabric:admin")).serialize();
  }

  UserServiceGrpc.UserServiceBlockingStub users(String token) {
    return UserServiceGrpc.newBlockingStub(grpc).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(token)))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  PolicyServiceGrpc.PolicyServiceBlockingStub policies(String token) {
    return PolicyServiceGrpc.newBlockingStub(grpc).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(token)))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private static Metadata bearer(String token) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    return headers;
  }

  static ErrorInfo errorInfo(StatusRuntimeException error) throws Exception {
    return StatusProto.fromThrowable(error).getDetailsList().stream()
        .filter(detail -> detail.is(ErrorInfo.class)).findFirst().orElseThrow().unpack(ErrorInfo.class);
  }

  /** Every event another service would have seen so far (routing key, AMQP type, user id header). */
  java.util.List<String> eventsSeen() throws Exception {
    java.util.List<String> seen = new java.util.ArrayList<>();
    GetResponse message;
    while ((message = servers.channel.basicGet(theirQueue, true)) != null) {
      seen.add(message.getEnvelope().getRoutingKey() + " " + message.getProps().getHeaders().get("user-id"));
    }
    return seen;
  }

  void assertNoEvents() throws Exception {
    // A call publishes, confirmed into every bound queue, before it answers: nothing to wait for.
    assertEquals(java.util.List.of(), eventsSeen());
  }
}
