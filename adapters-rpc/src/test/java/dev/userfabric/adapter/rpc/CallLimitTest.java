package dev.userfabric.adapter.rpc;

import static dev.userfabric.testing.faults.Elapsed.assertFailsAtOnce;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userfabric.domain.port.in.CreateUserResult;
import dev.userfabric.domain.testing.Users;
import dev.userfabric.proto.v1.CreateUserRequest;
import dev.userfabric.proto.v1.UserServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CallLimitTest {

  private final CountDownLatch release = new CountDownLatch(1);
  private final CountDownLatch entered = new CountDownLatch(1);
  private final AtomicBoolean redisUp = new AtomicBoolean(true);
  private final ExecutorService callers = Executors.newFixedThreadPool(2);
  private ServingHealth health;
  private Server server;
  private final CallLimit limit = new CallLimit(1);
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    health = new ServingHealth(Map.of("redis", redisUp::get));
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name)
        .addService(new UserFabricGrpcService(command -> {
          entered.countDown();
          try {
            release.await(5, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return CreateUserResult.existing(Users.fullUser("ada"));
        }, UnusedUseCases.READ, UnusedUseCases.REFRESH, UnusedUseCases.DELETE, UnusedUseCases.UNLINK))
        .addService(health)
        .intercept(limit)
        .build().start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void stop() {
    release.countDown();
    callers.shutdownNow();
    channel.shutdownNow();
    server.shutdownNow();
    health.close();
  }

  @Test
  public void refusesBeyondTheBoundAtOnceAndFreesThePermitWhenACallEnds() throws Exception {
    Future<?> first = callers.submit(() -> createUser());
    assertTrue(entered.await(5, TimeUnit.SECONDS));

    // The first call holds its permit until released: a refusal that waited for it would not come.
    StatusRuntimeException refused = assertFailsAtOnce(StatusRuntimeException.class, this::createUser);
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.getStatus().getCode());
    assertEquals("TOO_MANY_CONCURRENT_CALLS", UserFabricGrpcServiceTest.errorInfo(refused).getReason());
    assertEquals(ServingStatus.SERVING, healthOf("")); // health is never refused

    release.countDown();
    first.get(5, TimeUnit.SECONDS);
    // The caller may have its answer a moment before the server sees the call end and frees it.
    eventually(() -> limit.callsInProgress() == 0);
    createUser(); // the permit came back
  }

  @Test
  public void healthFollowsTheDependenciesAndStaysDownFromShutdown() throws Exception {
    assertEquals(ServingStatus.SERVING, healthOf("userfabric.v1.UserService"));

    redisUp.set(false);
    eventually(() -> healthOf("") == ServingStatus.NOT_SERVING);
    redisUp.set(true);
    eventually(() -> healthOf("userfabric.v1.UserService") == ServingStatus.SERVING);

    health.enterShutdown();
    assertEquals(ServingStatus.NOT_SERVING, healthOf(""));
    health.check(); // the dependencies are up, but shutdown is final
    assertEquals(ServingStatus.NOT_SERVING, healthOf(""));
  }

  private Object createUser() {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer abc");
    return UserServiceGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(5, TimeUnit.SECONDS).createUser(CreateUserRequest.getDefaultInstance());
  }

  private ServingStatus healthOf(String service) {
    return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(2, TimeUnit.SECONDS)
        .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
  }

  private static void eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "condition not met within 5 s");
      Thread.sleep(50);
    }
  }
}
