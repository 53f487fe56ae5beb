package dev.userfabric.application.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userfabric.proto.v1.CreateUserRequest;
import dev.userfabric.proto.v1.CreateUserResponse;
import dev.userfabric.proto.v1.GetUserRequest;
import dev.userfabric.proto.v1.Identity;
import dev.userfabric.proto.v1.UnlinkIdentityRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.Test;

/**
 * Identity linking through the packaged service, two independent providers in one link group:
 * a second provider's first login with the same verified email joins the user, an unverified one
 * does not, two concurrent first logins end as one user, and an unlink gives the identity back.
 */
@MicronautTest
class IdentityLinkingE2EIT extends TwoProviders {

  @Override
  String policy() {
    return """
        linking:
          groups:
            - {name: corporate, issuers: ["%A", "%B"]}
        """;
  }

  private String verified(MockOAuth2Server idp, String subject, String email) {
    return login(idp, subject, Map.of("email", email, "email_verified", true));
  }

  private static String email() {
    return "ada-" + UUID.randomUUID() + "@example.com";
  }

  private CreateUserResponse createUser(String token) {
    return users(token).createUser(CreateUserRequest.getDefaultInstance());
  }

  /** As a client would: a pending link is UNAVAILABLE with a retry delay; try again. */
  private CreateUserResponse createUserRetrying(String token) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      try {
        return createUser(token);
      } catch (StatusRuntimeException e) {
        boolean pending = e.getStatus().getCode() == Status.Code.UNAVAILABLE
            && "IDENTITY_LINK_PENDING".equals(errorInfo(e).getReason());
        if (!pending || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  private void awaitStored(String userId, int identities) throws Exception {
    MockProviderServers.eventually(Duration.ofSeconds(20), () -> {
      var stored = servers.redis.sync().hgetall(servers.userKey(userId));
      String linked = stored.getOrDefault("linked", "");
      return !stored.isEmpty() && linked.lines().count() == identities - 1;
    });
  }

  private static List<String> subjects(dev.userfabric.proto.v1.User user) {
    return user.getIdentitiesList().stream().map(Identity::getSubject).toList();
  }

  @Test
  public void aSecondProvidersFirstLoginWithTheSameVerifiedEmailJoinsTheUser() throws Exception {
    String email = email();
    String subjectA = "a-" + UUID.randomUUID();
    String subjectB = "b-" + UUID.randomUUID();
    CreateUserResponse first = createUser(verified(idpA, subjectA, email));
    awaitStored(first.getUser().getId(), 1);
    eventsSeen();

    String atB = verified(idpB, subjectB, email.toUpperCase(java.util.Locale.ROOT));
    CreateUserResponse second = createUser(atB);

    assertTrue(second.getLinked());
    assertFalse(second.getCreated());
    assertEquals(first.getUser().getId(), second.getUser().getId());
    assertEquals(List.of(subjectA, subjectB), subjects(second.getUser()));
    assertEquals(List.of("user.identity-linked " + first.getUser().getId()), eventsSeen());

    awaitStored(first.getUser().getId(), 2);
    var own = users(atB).getUser(GetUserRequest.getDefaultInstance()).getUser();
    assertEquals(first.getUser().getId(), own.getId());
    assertEquals(List.of(issuerA, issuerB), own.getIdentitiesList().stream().map(Identity::getIssuer).toList());
    CreateUserResponse again = createUser(atB);
    assertFalse(again.getCreated() || again.getLinked());
    assertEquals(first.getUser().getId(), again.getUser().getId());
    assertNoEvents();
  }

  @Test
  public void anUnverifiedEmailAtTheOtherProviderIsNotLinkedToTheVerifiedUser() throws Exception {
    String email = email();
    CreateUserResponse victim = createUser(verified(idpA, "victim-" + UUID.randomUUID(), email));
    awaitStored(victim.getUser().getId(), 1);
    eventsSeen();

    String attacker = "attacker-" + UUID.randomUUID();
    CreateUserResponse takeover = createUser(login(idpB, attacker, Map.of("email", email, "email_verified", false)));

    assertTrue(takeover.getCreated());
    assertFalse(takeover.getLinked());
    assertNotEquals(victim.getUser().getId(), takeover.getUser().getId());
    assertEquals(List.of(attacker), subjects(takeover.getUser()));
    assertEquals(List.of("user.created " + takeover.getUser().getId()), eventsSeen());
    awaitStored(takeover.getUser().getId(), 1);
    assertFalse(servers.redis.sync().hgetall(servers.userKey(victim.getUser().getId())).containsKey("linked"));
  }

  @Test
  public void concurrentFirstLoginsThroughBothProvidersEndAsOneUser() throws Exception {
    for (int round = 0; round < 5; round++) {
      String email = email();
      String atA = verified(idpA, "a-" + UUID.randomUUID(), email);
      String atB = verified(idpB, "b-" + UUID.randomUUID(), email);
      eventsSeen();
      ExecutorService callers = Executors.newFixedThreadPool(2);
      List<CreateUserResponse> answers = new ArrayList<>();
      try {
        List<Callable<CreateUserResponse>> both = List.of(() -> createUserRetrying(atA), () -> createUserRetrying(atB));
        for (Future<CreateUserResponse> answer : callers.invokeAll(both)) {
          answers.add(answer.get());
        }
      } finally {
        callers.shutdownNow();
      }

      assertEquals(answers.get(0).getUser().getId(), answers.get(1).getUser().getId(), "one user, not two");
      assertEquals(1, answers.stream().filter(CreateUserResponse::getCreated).count());
      assertEquals(1, answers.stream().filter(CreateUserResponse::getLinked).count());
      String id = answers.get(0).getUser().getId();
      awaitStored(id, 2);
      assertEquals(List.of("user.created " + id, "user.identity-linked " + id), eventsSeen());
    }
  }

  @Test
  public void anUnlinkedIdentityComesBackAsAUserOfItsOwn() throws Exception {
    String email = email();
    String subjectB = "b-" + UUID.randomUUID();
    CreateUserResponse first = createUser(verified(idpA, "a-" + UUID.randomUUID(), email));
    awaitStored(first.getUser().getId(), 1);
    String atB = verified(idpB, subjectB, email);
    createUser(atB);
    awaitStored(first.getUser().getId(), 2);
    eventsSeen();

    var unlinked = users(admin()).unlinkIdentity(UnlinkIdentityRequest.newBuilder()
        .setUserId(first.getUser().getId())
        .setIdentity(Identity.newBuilder().setIssuer(issuerB).setSubject(subjectB))
        .build()).getUser();

    assertEquals(1, unlinked.getIdentitiesCount());
    assertEquals(List.of("user.identity-unlinked " + first.getUser().getId()), eventsSeen());
    awaitStored(first.getUser().getId(), 1);
    MockProviderServers.eventually(Duration.ofSeconds(20), () -> "1".equals(servers.redis.sync()
        .hget(servers.userKey(dev.userfabric.domain.model.UserId.of(
            new dev.userfabric.domain.model.Identity(issuerB, subjectB)).toString()), "kind")
        ) && servers.redis.sync().hexists(servers.userKey(dev.userfabric.domain.model.UserId.of(
            new dev.userfabric.domain.model.Identity(issuerB, subjectB)).toString()), "deleted_at"));
    CreateUserResponse own = createUser(atB);
    assertTrue(own.getCreated());
    assertNotEquals(first.getUser().getId(), own.getUser().getId());
    assertEquals(List.of(subjectB), subjects(own.getUser()));
  }
}
