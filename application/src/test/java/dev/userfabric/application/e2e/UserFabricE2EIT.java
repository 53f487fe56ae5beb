package dev.userfabric.application.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.GetResponse;
import dev.userfabric.proto.v1.CreateUserRequest;
import dev.userfabric.proto.v1.CreateUserResponse;
import dev.userfabric.proto.v1.UserServiceGrpc;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.MetadataUtils;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The whole service over gRPC against real Redis, real RabbitMQ and an independent OpenID
 * provider (mock-oauth2-server) over HTTP on loopback.
 */
@MicronautTest
class UserFabricE2EIT extends MockProviderServers {

  private final MockOAuth2Server strangerIdp = new MockOAuth2Server();
  private String otherServicesQueue;

  @Override
  public Map<String, String> getProperties() {
    strangerIdp.start();
    return super.getProperties();
  }

  @AfterAll
  void stopStranger() {
    strangerIdp.shutdown();
  }

  @Test
  public void createsAndPublishesANewUserThenReturnsItOnceStored() throws Exception {
    String subject = "user-" + UUID.randomUUID();
    String token = idp.issueToken("default", subject, AUDIENCE,
        Map.of("email", subject + "@example.test", "email_verified", true, "name", "Ada",
            "scope", "openid profile email")).serialize(); // as after a user's OpenID sign-in
    String theirQueue = otherServicesQueue();

    CreateUserResponse first = createUser(token);

    assertTrue(first.getCreated());
    assertEquals(subject, first.getUser().getSubject());
    assertEquals(subject + "@example.test", first.getUser().getProfile().getEmail());
    GetResponse event = awaitMessage(theirQueue);
    var published = dev.userfabric.proto.v1.UserCreated.parseFrom(event.getBody());
    assertEquals(first.getUser().getId(), published.getUser().getId());
    assertEquals("userfabric.v1.UserCreated", event.getProps().getType());

    CreateUserResponse again = awaitStoredThenCall(token, first.getUser().getId());
    assertFalse(again.getCreated());
    assertEquals(first.getUser().getId(), again.getUser().getId());
    assertEquals("2", servers.redis.sync().hget(servers.userKey(first.getUser().getId()), "v"));
    assertNull(servers.channel.basicGet(theirQueue, true), "a known user must not be published again");
  }

  @Test
  public void refusesATokenFromAnIssuerWeDoNotTrustAndPublishesNothing() throws Exception {
    String theirQueue = otherServicesQueue();
    String token = strangerIdp.issueToken("default", "mallory", AUDIENCE).serialize();

    StatusRuntimeException error = assertThrows(StatusRuntimeException.class, () -> createUser(token));

    assertEquals(Status.Code.UNAUTHENTICATED, error.getStatus().getCode());
    // A call publishes, confirmed into every bound queue, before it answers: nothing to wait for.
    assertNull(servers.channel.basicGet(theirQueue, true));
  }

  @Test
  public void refusesACallWithoutToken() {
    StatusRuntimeException error = assertThrows(StatusRuntimeException.class,
        () -> UserServiceGrpc.newBlockingStub(grpc).createUser(CreateUserRequest.getDefaultInstance()));

    assertEquals(Status.Code.UNAUTHENTICATED, error.getStatus().getCode());
  }

  @Test
  public void servesTheSeedContractWithTheTokenInTheBody() {
    String subject = "seed-" + UUID.randomUUID();
    String token = idp.issueToken("default", subject, AUDIENCE, Map.of("email", "seed@example.test", "scope", "openid"))
        .serialize();

    var response = dev.userfabric.proto.demeter.ops.v1alpha.UserServiceGrpc.newBlockingStub(grpc)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .createUser(dev.userfabric.proto.demeter.ops.v1alpha.CreateUserRequest.newBuilder()
            .setToken(token).build());

    assertEquals(36, response.getId().length());
    assertEquals("seed@example.test", response.getEmail());
  }

  @Test
  public void answersTheStandardHealthCheck() {
    HealthCheckResponse health = HealthGrpc.newBlockingStub(grpc)
        .check(HealthCheckRequest.getDefaultInstance());

    assertEquals(HealthCheckResponse.ServingStatus.SERVING, health.getStatus());
  }

  private CreateUserResponse createUser(String token) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    return UserServiceGrpc.newBlockingStub(grpc)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .createUser(CreateUserRequest.getDefaultInstance());
  }

  /** Another service's queue bound to our exchange: what they would see. */
  private String otherServicesQueue() throws Exception {
    if (otherServicesQueue == null) {
      otherServicesQueue = servers.channel.queueDeclare().getQueue();
      servers.channel.queueBind(otherServicesQueue, servers.namePrefix + "userfabric.events", "user.created");
    }
    servers.channel.queuePurge(otherServicesQueue);
    return otherServicesQueue;
  }

  private GetResponse awaitMessage(String queue) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      GetResponse message = servers.channel.basicGet(queue, true);
      if (message != null) {
        return message;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no UserCreated arrived within 10 s");
  }

  /** Waits (on Redis itself, so no extra calls publish extra events) for the driver's write. */
  private CreateUserResponse awaitStoredThenCall(String token, String userId) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (servers.redis.sync().exists(servers.userKey(userId)) == 0) {
      assertTrue(System.nanoTime() < deadline, "the event driver did not store the user within 10 s");
      Thread.sleep(50);
    }
    return createUser(token);
  }
}
