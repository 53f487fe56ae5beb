package dev.userfabric.application.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.GetResponse;
import dev.userfabric.proto.v1.CreateUserRequest;
import dev.userfabric.proto.v1.CreateUserResponse;
import dev.userfabric.proto.v1.DeleteUserRequest;
import dev.userfabric.proto.v1.DeleteUserResponse;
import dev.userfabric.proto.v1.GetUserRequest;
import dev.userfabric.proto.v1.ListUsersRequest;
import dev.userfabric.proto.v1.ListUsersResponse;
import dev.userfabric.proto.v1.LookupUserRequest;
import dev.userfabric.proto.v1.RefreshUserRequest;
import dev.userfabric.proto.v1.RefreshUserResponse;
import dev.userfabric.proto.v1.User;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A user's whole life over gRPC, against real Redis, real RabbitMQ and an independent OpenID
 * provider (mock-oauth2-server, whose userinfo answers with the claims of the token presented, so
 * a new token with other claims is the profile changing at the provider), as a subscriber bound
 * to the exchange sees it.
 */
@MicronautTest
class UserLifecycleE2EIT extends MockProviderServers {

  private static final Duration WITHIN = Duration.ofSeconds(10);

  @Test
  public void createRefreshDeleteAndLoginAgainAsASubscriberSeesIt() throws Exception {
    String subject = "life-" + UUID.randomUUID();
    String subscriber = subscriberQueue();

    CreateUserResponse created = users(login(subject, "first@example.test")).createUser(CreateUserRequest.getDefaultInstance());
    assertTrue(created.getCreated());
    String id = created.getUser().getId();
    User stored = awaitStored(login(subject, "first@example.test"), id);
    assertEquals(created.getUser().getVersion(), stored.getVersion());

    // The provider now says something else about this person.
    String changedToken = login(subject, "second@example.test");
    RefreshUserResponse refreshed = users(changedToken).refreshUser(RefreshUserRequest.getDefaultInstance());
    assertEquals(List.of("email"), refreshed.getChangedFieldsList());
    assertEquals("second@example.test", refreshed.getUser().getProfile().getEmail());
    assertTrue(refreshed.getUser().getVersion() > stored.getVersion());
    eventually(WITHIN, () -> users(changedToken).getUser(GetUserRequest.getDefaultInstance()).getUser().getProfile()
        .getEmail().equals("second@example.test"));
    RefreshUserResponse unchanged = users(changedToken).refreshUser(RefreshUserRequest.getDefaultInstance());
    assertEquals(List.of(), unchanged.getChangedFieldsList());

    DeleteUserResponse deleted = users(changedToken).deleteUser(DeleteUserRequest.getDefaultInstance());
    assertEquals(id, deleted.getUserId());
    assertTrue(deleted.getVersion() > refreshed.getUser().getVersion());
    StatusRuntimeException revoked = assertThrows(StatusRuntimeException.class,
        () -> users(changedToken).getUser(GetUserRequest.getDefaultInstance()));
    assertEquals(Status.Code.UNAUTHENTICATED, revoked.getStatus().getCode(), "the erased user's tokens are revoked");
    eventually(WITHIN, () -> notFound(() -> users(admin()).getUser(GetUserRequest.newBuilder().setUserId(id).build())));
    assertNull(servers.redis.sync().hget(servers.userKey(id), "email"), "only a tombstone is left");

    // A token issued after the erasure: iat has whole seconds, so wait for the next one.
    Instant cutoff = Instant.ofEpochSecond(deleted.getTokensRevokedBefore().getSeconds(),
        deleted.getTokensRevokedBefore().getNanos());
    while (Instant.now().getEpochSecond() <= cutoff.getEpochSecond()) {
      Thread.sleep(20);
    }
    CreateUserResponse again = users(login(subject, "back@example.test")).createUser(CreateUserRequest.getDefaultInstance());
    assertTrue(again.getCreated());
    assertEquals(id, again.getUser().getId());
    assertTrue(again.getUser().getVersion() > deleted.getVersion());
    awaitStored(login(subject, "back@example.test"), id);

    List<GetResponse> seen = drain(subscriber, 4);
    assertEquals(List.of("userfabric.v1.UserCreated", "userfabric.v1.UserUpdated", "userfabric.v1.UserDeleted",
        "userfabric.v1.UserCreated"), seen.stream().map(message -> message.getProps().getType()).toList());
    assertEquals(List.of("user.created", "user.updated", "user.deleted", "user.created"),
        seen.stream().map(message -> message.getEnvelope().getRoutingKey()).toList());
    var erasure = dev.userfabric.proto.v1.UserDeleted.parseFrom(seen.get(2).getBody());
    assertEquals(id, erasure.getUserId());
    assertEquals(deleted.getVersion(), erasure.getVersion());
    assertEquals(id, seen.get(2).getProps().getHeaders().get("cloudEvents:subject").toString());
    assertNull(servers.channel.basicGet(subscriber, true), "the unchanged refresh published nothing");
  }

  @Test
  public void aUserReadsTheirOwnUserButNeedsTheReadScopeForAnothers() throws Exception {
    String ada = "ada-" + UUID.randomUUID();
    String bob = "bob-" + UUID.randomUUID();
    users(login(ada, "ada@example.test")).createUser(CreateUserRequest.getDefaultInstance());
    String bobsId = users(login(bob, "bob@example.test")).createUser(CreateUserRequest.getDefaultInstance())
        .getUser().getId();
    awaitStored(login(bob, "bob@example.test"), bobsId);

    StatusRuntimeException denied = assertThrows(StatusRuntimeException.class,
        () -> users(login(ada, "ada@example.test")).getUser(GetUserRequest.newBuilder().setUserId(bobsId).build()));
    assertEquals(Status.Code.PERMISSION_DENIED, denied.getStatus().getCode());

    User byAdmin = users(admin()).getUser(GetUserRequest.newBuilder().setUserId(bobsId).build()).getUser();
    assertEquals(bob, byAdmin.getSubject());
    User lookedUp = users(admin()).lookupUser(LookupUserRequest.newBuilder()
        .setIssuer(idp.issuerUrl("default").toString()).setSubject(bob).build()).getUser();
    assertEquals(bobsId, lookedUp.getId());
    assertTrue(notFound(() -> users(admin()).lookupUser(LookupUserRequest.newBuilder()
        .setIssuer(idp.issuerUrl("default").toString()).setSubject("nobody").build())));
  }

  @Test
  public void listsEveryUserPageByPageWhileUsersAreCreated() throws Exception {
    String issuer = idp.issuerUrl("default").toString();
    Set<String> before = new HashSet<>();
    for (int i = 0; i < 12; i++) {
      String subject = "list-" + UUID.randomUUID();
      String id = users(login(subject, subject + "@example.test")).createUser(CreateUserRequest.getDefaultInstance())
          .getUser().getId();
      before.add(id);
    }
    eventually(WITHIN, () -> before.stream().allMatch(id -> servers.redis.sync().exists(servers.userKey(id)) == 1));

    List<String> listed = new ArrayList<>();
    String pageToken = "";
    int pages = 0;
    do {
      users(login("list-during-" + UUID.randomUUID(), "during@example.test"))
          .createUser(CreateUserRequest.getDefaultInstance()); // a write between every two pages
      ListUsersResponse page = users(admin()).listUsers(ListUsersRequest.newBuilder()
          .setIssuer(issuer).setPageSize(5).setPageToken(pageToken).build());
      assertTrue(page.getUsersCount() <= 5);
      page.getUsersList().forEach(user -> listed.add(user.getId()));
      pageToken = page.getNextPageToken();
      pages++;
    } while (!pageToken.isEmpty() && pages < 100);

    assertEquals(listed.size(), new HashSet<>(listed).size(), "no user twice");
    assertTrue(new HashSet<>(listed).containsAll(before), "every user that existed throughout");
    StatusRuntimeException denied = assertThrows(StatusRuntimeException.class,
        () -> users(login("x-" + UUID.randomUUID(), "x@example.test")).listUsers(ListUsersRequest.getDefaultInstance()));
    assertEquals(Status.Code.PERMISSION_DENIED, denied.getStatus().getCode());
  }

  @Test
  public void refreshingOrReadingAUserNeverStoredAnswersNotFoundAndCreatesNothing() throws Exception {
    String subscriber = subscriberQueue();
    String token = login("never-" + UUID.randomUUID(), "never@example.test");

    assertTrue(notFound(() -> users(token).refreshUser(RefreshUserRequest.getDefaultInstance())));
    assertTrue(notFound(() -> users(token).getUser(GetUserRequest.getDefaultInstance())));
    assertTrue(notFound(() -> users(token).deleteUser(DeleteUserRequest.getDefaultInstance())));

    assertNull(servers.channel.basicGet(subscriber, true));
  }

  /** GetUser, which never creates or publishes, until the driver has stored the user. */
  private User awaitStored(String token, String id) throws Exception {
    long deadline = System.nanoTime() + WITHIN.toNanos();
    while (true) {
      try {
        return users(token).getUser(GetUserRequest.newBuilder().setUserId(id).build()).getUser();
      } catch (StatusRuntimeException e) {
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertTrue(System.nanoTime() < deadline, "the event driver did not store the user within " + WITHIN);
        Thread.sleep(20);
      }
    }
  }

  private static boolean notFound(Runnable call) {
    try {
      call.run();
      return false;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode() == Status.Code.NOT_FOUND;
    }
  }

  private String subscriberQueue() throws Exception {
    String queue = servers.channel.queueDeclare().getQueue();
    servers.channel.queueBind(queue, servers.namePrefix + "userfabric.events", "user.*");
    return queue;
  }

  private List<GetResponse> drain(String queue, int expected) throws Exception {
    List<GetResponse> messages = new ArrayList<>();
    long deadline = System.nanoTime() + WITHIN.toNanos();
    while (messages.size() < expected) {
      GetResponse message = servers.channel.basicGet(queue, true);
      if (message != null) {
        messages.add(message);
      } else {
        assertTrue(System.nanoTime() < deadline, "only " + messages.size() + " of " + expected + " events arrived");
        Thread.sleep(20);
      }
    }
    return messages;
  }
}
