package dev.userfabric.application.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import com.nimbusds.jose.jwk.RSAKey;
import dev.userfabric.adapter.oauth.testing.AttackTokens;
import dev.userfabric.adapter.oauth.testing.TestIdentityProvider;
import dev.userfabric.proto.v1.CreateUserRequest;
import dev.userfabric.testing.faults.Elapsed;
import dev.userfabric.proto.v1.CreateUserResponse;
import dev.userfabric.proto.v1.RevokeAccessTokenRequest;
import dev.userfabric.proto.v1.RevokeUserTokensRequest;
import dev.userfabric.proto.v1.TokenServiceGrpc;
import dev.userfabric.proto.v1.UserServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The token trust model end to end: the service over real gRPC, two replicas sharing the real
 * Redis and RabbitMQ, issuers that are real HTTP servers with their own keys. Every refusal is
 * checked for its status, its reason, and that nothing was fetched, stored or published.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenTrustE2EIT {

  private static final String REQUIRED_SCOPE = "profile";
  private static final String ADMIN_SCOPE = "userfabric:admin";

  private TestIdentityProvider idp;
  private TestIdentityProvider slowIdp;
  private TestIdentityProvider rotatingIdp;
  private TestIdentityProvider opaqueIdp;
  /** Slow from the start: its keys were never fetched, not even by the start-up prefetch. */
  private TestIdentityProvider coldIdp;
  /** Trusted, and never called: whatever it is asked, the start asked. */
  private TestIdentityProvider idleIdp;
  private TestServers servers;
  private final List<EmbeddedServer> replicas = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private String publishedProbe;

  @BeforeAll
  void start() throws Exception {
    idp = new TestIdentityProvider();
    slowIdp = new TestIdentityProvider();
    rotatingIdp = new TestIdentityProvider();
    opaqueIdp = new TestIdentityProvider();
    coldIdp = new TestIdentityProvider();
    coldIdp.jwksDelayMillis = 5_000;
    idleIdp = new TestIdentityProvider();
    servers = new TestServers();
    startReplica();
    startReplica();
    // Observe every event the service publishes, beside its own consumer.
    createUser(0, idp.tokenFor("warm-up")); // declares the topology
    publishedProbe = servers.channel.queueDeclare("", false, true, true, null).getQueue();
    servers.channel.queueBind(publishedProbe, servers.namePrefix + "userfabric.events", "#");
  }

  private void startReplica() throws Exception {
    int port = TestServers.freePort();
    Map<String, String> properties = servers.serviceProperties(port, idp.issuer(), TestIdentityProvider.AUDIENCE);
    properties.remove("userfabric.oauth.issuer");
    properties.remove("userfabric.oauth.audience");
    properties.putAll(Map.of(
        "userfabric.oauth.audience", TestIdentityProvider.AUDIENCE,
        "userfabric.oauth.required-scope", REQUIRED_SCOPE,
        "userfabric.oauth.admin-scope", ADMIN_SCOPE,
        "userfabric.oauth.issuers.main.issuer", idp.issuer(),
        "userfabric.oauth.issuers.slow.issuer", slowIdp.issuer(),
        "userfabric.oauth.issuers.slow.http-timeout", "300ms",
        "userfabric.oauth.issuers.opaque.issuer", opaqueIdp.issuer(),
        "userfabric.oauth.issuers.opaque.token-format", "opaque",
        "userfabric.oauth.issuers.opaque.introspection-client-id", TestIdentityProvider.INTROSPECTION_CLIENT,
        "userfabric.oauth.issuers.opaque.introspection-client-secret", TestIdentityProvider.INTROSPECTION_SECRET));
    properties.put("userfabric.oauth.profile-cache-ttl", "0s");
    properties.put("userfabric.oauth.issuers.rotating.issuer", rotatingIdp.issuer());
    properties.put("userfabric.oauth.issuers.cold.issuer", coldIdp.issuer());
    properties.put("userfabric.oauth.issuers.cold.http-timeout", "300ms");
    properties.put("userfabric.oauth.issuers.idle.issuer", idleIdp.issuer());
    replicas.add(ApplicationContext.run(EmbeddedServer.class, Map.copyOf(properties))); // starts the gRPC server
    channels.add(NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build());
  }

  @AfterAll
  void stop() throws Exception {
    for (ManagedChannel channel : channels) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    replicas.forEach(EmbeddedServer::close);
    servers.close();
    idp.close();
    slowIdp.close();
    rotatingIdp.close();
    opaqueIdp.close();
    coldIdp.close();
    idleIdp.close();
  }

  // --- the classic attacks --------------------------------------------------------------------

  Stream<AttackTokens.Attack> attacks() {
    return AttackTokens.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("attacks")
  public void refusesEveryClassicAttackTouchingNothing(AttackTokens.Attack attack) throws Exception {
    String token = attack.token().apply(idp);
    Footprint before = footprint();
    // Only a token shaped like neither JWS nor JWE may be opaque, so only it may be introspected.
    long dots = token.chars().filter(c -> c == '.').count();
    boolean mayBeOpaque = dots != 2 && dots != 4 && token.length() <= 16 * 1024 && token.matches("[A-Za-z0-9._~+/-]+=*");

    StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> createUser(0, token));

    assertEquals(Status.Code.UNAUTHENTICATED, refused.getStatus().getCode());
    String reason = errorInfo(refused).getReason();
    assertTrue(reason.equals("ACCESS_TOKEN_INVALID") || attack.name().startsWith("expired") && reason.equals("ACCESS_TOKEN_EXPIRED"), reason);
    assertTrue(List.of("invalid access token", "access token expired").contains(refused.getStatus().getDescription()),
        "a generic message only: " + refused.getStatus().getDescription());
    if (mayBeOpaque) {
      before.assertUnchangedButIntrospection();
    } else {
      before.assertUnchanged();
    }
  }

  @Test
  public void refusesAClientCredentialsTokenAsNotAUser() throws Exception {
    Footprint before = footprint();

    StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
        () -> createUser(0, idp.tokenWith(c -> c.subject("web-app"))));

    assertEquals(Status.Code.PERMISSION_DENIED, refused.getStatus().getCode());
    assertEquals("NOT_A_USER_TOKEN", errorInfo(refused).getReason());
    before.assertUnchanged();
  }

  @Test
  public void refusesATokenWithoutTheRequiredScope() throws Exception {
    Footprint before = footprint();

    StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
        () -> createUser(0, idp.tokenWith(c -> c.claim("scope", "openid"))));

    assertEquals(Status.Code.PERMISSION_DENIED, refused.getStatus().getCode());
    assertEquals("INSUFFICIENT_SCOPE", errorInfo(refused).getReason());
    before.assertUnchanged();
  }

  @Test
  public void refusesACallWithTwoAuthorizationFieldsEvenIfBothAreValid() throws Exception {
    Footprint before = footprint();
    Metadata headers = new Metadata();
    Metadata.Key<String> authorization = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    headers.put(authorization, "Bearer " + idp.tokenFor("twice-a"));
    headers.put(authorization, "Bearer " + idp.tokenFor("twice-b"));

    StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> UserServiceGrpc
        .newBlockingStub(channels.get(0)).withDeadlineAfter(10, TimeUnit.SECONDS)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .createUser(CreateUserRequest.getDefaultInstance()));

    assertEquals(Status.Code.UNAUTHENTICATED, refused.getStatus().getCode());
    assertEquals("ACCESS_TOKEN_MISSING", errorInfo(refused).getReason());
    before.assertUnchanged();
  }

  @Test
  public void tellsAStrangerNothingAboutUserIdsNotEvenTheirForm() throws Exception {
    StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> TokenServiceGrpc
        .newBlockingStub(channels.get(0)).withInterceptors(bearer(idp.tokenFor("stranger")))
        .revokeUserTokens(RevokeUserTokensRequest.newBuilder().setUserId("not-a-user-id").build()));

    assertEquals(Status.Code.PERMISSION_DENIED, refused.getStatus().getCode());
    assertEquals("INSUFFICIENT_SCOPE", errorInfo(refused).getReason());
  }

  // --- key sets --------------------------------------------------------------------------------

  @Test
  public void acceptsTokensSignedWithARotatedKeyAtOnce() throws Exception {
    // An issuer of its own: under a junk-kid flood a rotation waits for the refetch budget.
    createUser(0, rotatingIdp.tokenFor("before-rotation"));
    RSAKey next = rotatingIdp.rotateKey("rotated");

    CreateUserResponse created = createUser(0, rotatingIdp.sign(next,
        rotatingIdp.validHeader().keyID(next.getKeyID()), rotatingIdp.validClaims("after-rotation")));

    assertTrue(created.getCreated());
  }

  @Test
  public void answersAFloodOfUnknownKidsWithUnauthenticatedAndSparesTheProvider() throws Exception {
    int before = idp.jwksRequests.get();
    Footprint footprint = footprint();

    for (int i = 0; i < 200; i++) {
      String junk = idp.sign(idp.forgerKey, idp.validHeader().keyID("junk-" + i), idp.validClaims());
      int replica = i % 2;
      StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> createUser(replica, junk));
      assertEquals(Status.Code.UNAUTHENTICATED, refused.getStatus().getCode());
    }

    int fetched = idp.jwksRequests.get() - before;
    assertTrue(fetched <= 4, "two replicas fetched the key set " + fetched + " times for 200 junk kids");
    footprint.assertUnchanged();
  }

  @Test
  public void keepsServingWithCachedKeysWhileTheKeySetIsDown() throws Exception {
    createUser(0, idp.tokenFor("before-outage"));
    idp.jwksStatus = 503;
    try {
      assertTrue(createUser(0, idp.tokenFor("during-outage-" + System.nanoTime())).getCreated());
    } finally {
      idp.jwksStatus = 200;
    }
  }

  @Test
  public void givesUpOnASlowKeySetWithUnavailableBeforeTheCallersDeadline() throws Exception {
    Footprint before = footprint();

    StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> UserServiceGrpc
        .newBlockingStub(channels.get(0)).withDeadlineAfter(3, TimeUnit.SECONDS)
        .withInterceptors(bearer(coldIdp.validToken())).createUser(CreateUserRequest.getDefaultInstance()));

    assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode());
    assertEquals("IDENTITY_PROVIDER_UNAVAILABLE", errorInfo(refused).getReason()); // not DEADLINE_EXCEEDED
    before.assertUnchanged();
  }

  /** Each replica asks every issuer for discovery and keys while it starts, before any call needs them. */
  @Test
  public void fetchesEveryIssuersKeysAtStartBeforeAnyCallNeedsThem() throws Exception {
    long deadline = System.nanoTime() + Elapsed.LONG_TIMEOUT.toNanos();
    while (idleIdp.jwksRequests.get() < replicas.size() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(replicas.size(), idleIdp.discoveryRequests.get());
    assertEquals(replicas.size(), idleIdp.jwksRequests.get());
  }

  @Test
  public void neverChecksATokenWithAnotherIssuersKeys() throws Exception {
    // slowIdp and idp both call their first key "key-1"; this token names slowIdp, signed by idp.
    String crossed = idp.sign(idp.key, idp.validHeader(), slowIdp.validClaims());

    StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> createUser(0, crossed));

    assertEquals(Status.Code.UNAUTHENTICATED, refused.getStatus().getCode());
  }

  // --- opaque tokens ---------------------------------------------------------------------------

  @Test
  public void createsUsersFromOpaqueTokensByIntrospection() throws Exception {
    String token = opaqueIdp.issueOpaqueToken("opaque-user-" + System.nanoTime(), Duration.ofMinutes(5), Map.of());

    assertTrue(createUser(0, token).getCreated());

    opaqueIdp.deactivate(token);
    String never = "opaque-never-issued-" + System.nanoTime();
    StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> createUser(0, never));
    assertEquals(Status.Code.UNAUTHENTICATED, refused.getStatus().getCode());
  }

  // --- userinfo --------------------------------------------------------------------------------

  @Test
  public void passesOnTheProvidersRefusalsAndRetryAdviceWithoutPublishing() throws Exception {
    String subject = "userinfo-" + System.nanoTime();
    Footprint before = footprint();
    try {
      idp.userinfoStatus = 403;
      StatusRuntimeException forbidden = assertThrows(StatusRuntimeException.class, () -> createUser(0, idp.tokenFor(subject)));
      assertEquals(Status.Code.PERMISSION_DENIED, forbidden.getStatus().getCode());
      assertEquals("IDENTITY_PROVIDER_REFUSED", errorInfo(forbidden).getReason());

      idp.userinfoStatus = 429;
      idp.userinfoRetryAfter = "1";
      StatusRuntimeException slowDown = assertThrows(StatusRuntimeException.class, () -> createUser(1, idp.tokenFor(subject)));
      assertEquals(Status.Code.UNAVAILABLE, slowDown.getStatus().getCode());
      RetryInfo retry = StatusProto.fromThrowable(slowDown).getDetailsList().stream()
          .filter(any -> any.is(RetryInfo.class)).findFirst().orElseThrow().unpack(RetryInfo.class);
      assertEquals(1, retry.getRetryDelay().getSeconds());
    } finally {
      idp.userinfoStatus = 200;
      idp.userinfoRetryAfter = null;
      Thread.sleep(1_100); // replica 1 leaves the provider alone for the second it asked
    }
    assertEquals(before.published, probeMessages());
  }

  // --- revocation ------------------------------------------------------------------------------

  @Test
  public void aLoggedOutTokenIsRefusedByEveryReplicaWhileTheUsersOtherTokensWork() throws Exception {
    String subject = "logout-" + System.nanoTime();
    String token = idp.tokenFor(subject);
    String otherToken = idp.tokenFor(subject);
    createUser(0, token);

    TokenServiceGrpc.newBlockingStub(channels.get(0)).withInterceptors(bearer(token))
        .revokeAccessToken(RevokeAccessTokenRequest.getDefaultInstance());

    for (int replica = 0; replica < 2; replica++) {
      int r = replica;
      StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> createUser(r, token));
      assertEquals(Status.Code.UNAUTHENTICATED, refused.getStatus().getCode());
      assertEquals("ACCESS_TOKEN_REVOKED", errorInfo(refused).getReason());
    }
    createUser(1, otherToken);
  }

  @Test
  public void anAdministratorRevokesEveryTokenAUserHoldsNow() throws Exception {
    String subject = "revoke-all-" + System.nanoTime();
    String token = idp.tokenFor(subject);
    String userId = createUser(0, token).getUser().getId();
    String admin = idp.tokenWith(c -> c.subject("operator").claim("scope", "openid " + ADMIN_SCOPE));

    StatusRuntimeException notAdmin = assertThrows(StatusRuntimeException.class, () -> TokenServiceGrpc
        .newBlockingStub(channels.get(0)).withInterceptors(bearer(token))
        .revokeUserTokens(RevokeUserTokensRequest.newBuilder().setUserId(userId).build()));
    assertEquals(Status.Code.PERMISSION_DENIED, notAdmin.getStatus().getCode());

    TokenServiceGrpc.newBlockingStub(channels.get(1)).withInterceptors(bearer(admin))
        .revokeUserTokens(RevokeUserTokensRequest.newBuilder().setUserId(userId).build());

    StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> createUser(0, token));
    assertEquals("ACCESS_TOKEN_REVOKED", errorInfo(refused).getReason());
    Thread.sleep(1_100); // iat has whole seconds: the next token must be issued in a later second
    assertEquals(userId, createUser(0, idp.tokenFor(subject)).getUser().getId());
  }

  // --- helpers ---------------------------------------------------------------------------------

  private CreateUserResponse createUser(int replica, String token) {
    return UserServiceGrpc.newBlockingStub(channels.get(replica)).withDeadlineAfter(10, TimeUnit.SECONDS)
        .withInterceptors(bearer(token)).createUser(CreateUserRequest.getDefaultInstance());
  }

  private static io.grpc.ClientInterceptor bearer(String token) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    return MetadataUtils.newAttachHeadersInterceptor(headers);
  }

  private static ErrorInfo errorInfo(StatusRuntimeException error) throws Exception {
    return StatusProto.fromThrowable(error).getDetailsList().stream()
        .filter(any -> any.is(ErrorInfo.class)).findFirst().orElseThrow().unpack(ErrorInfo.class);
  }

  /** What a refused call must not change: userinfo and introspection calls, stored users, events. */
  private final class Footprint {
    final int userinfo = idp.userinfoRequests.get() + slowIdp.userinfoRequests.get() + opaqueIdp.userinfoRequests.get();
    final int introspections = opaqueIdp.introspectionRequests.get();
    final long storedUsers = storedUsers();
    final long published = probeMessages();

    void assertUnchanged() throws Exception {
      assertEquals(introspections, opaqueIdp.introspectionRequests.get(), "token introspected");
      assertUnchangedButIntrospection();
    }

    void assertUnchangedButIntrospection() throws Exception {
      // A call publishes before it answers and only once the broker has confirmed the event into
      // every bound queue: had a refused call published, the probe would hold it already.
      assertEquals(userinfo, idp.userinfoRequests.get() + slowIdp.userinfoRequests.get() + opaqueIdp.userinfoRequests.get(), "userinfo fetched");
      assertEquals(storedUsers, storedUsers(), "users stored");
      assertEquals(published, probeMessages(), "events published");
    }
  }

  /** Waits for the consumers to finish storing earlier tests' users, then takes the footprint. */
  private Footprint footprint() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    long stored = -1;
    while (System.nanoTime() < deadline) {
      long now = storedUsers();
      if (now == stored && servers.channel.messageCount(servers.namePrefix + "userfabric.user-created") == 0) {
        break;
      }
      stored = now;
      Thread.sleep(100);
    }
    return new Footprint();
  }

  private long storedUsers() {
    long[] count = {0};
    ScanIterator.scan(servers.redis.sync(), ScanArgs.Builder.matches(servers.keyPrefix + "{u*}user:*").limit(500))
        .forEachRemaining(key -> count[0]++);
    return count[0];
  }

  private long probeMessages() {
    try {
      return servers.channel.messageCount(publishedProbe);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
