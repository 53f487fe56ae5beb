package dev.userfabric.application.soak;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userfabric.adapter.oauth.testing.TestIdentityProvider;
import dev.userfabric.application.PackagedService;
import dev.userfabric.proto.v1.CreateUserRequest;
import dev.userfabric.proto.v1.CreateUserResponse;
import dev.userfabric.proto.v1.UserServiceGrpc;
import dev.userfabric.testing.faults.FreePorts;
import dev.userfabric.testing.faults.RabbitBroker;
import dev.userfabric.testing.faults.RedisServer;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Start-up as an operator sees it: the packaged service launched (as {@code ./userfabric start}
 * does, with the build's AOT cache) against a Redis, a RabbitMQ node and an identity provider over
 * HTTP of its own, and the time from the launch to the first OK CreateUser for a new user. The
 * client tries every 10 ms, resetting gRPC's reconnect backoff. Not part of {@code ./test.sh}:
 * {@code scripts/startup-time.sh [runs]}.
 */
class StartupTime {

  private static final int RUNS = Integer.getInteger("startup.runs", 7);
  private static final Pattern LISTENING = Pattern.compile("(\\d+) ms after the JVM started");

  @Test
  public void launchToFirstCreatedUser() throws Exception {
    try (RabbitBroker broker = new RabbitBroker().start();
        RedisServer redis = new RedisServer().start();
        TestIdentityProvider idp = new TestIdentityProvider()) {
      String prefix = "startup-" + ProcessHandle.current().pid() + ".";
      List<Long> firstOk = new ArrayList<>();
      List<Long> listening = new ArrayList<>();
      for (int run = 0; run < RUNS; run++) {
        int port = FreePorts.next();
        Path log = Files.createTempFile("userfabric-startup-", ".log");
        long launched = System.nanoTime();
        Process service = PackagedService.start(log, PackagedService.wiredTo(
            port, idp.issuer(), TestIdentityProvider.AUDIENCE, redis.uri(), broker.uri(), prefix), List.of());
        try {
          firstOk.add(TimeUnit.NANOSECONDS.toMillis(firstCreated(port, idp, "startup-user-" + run, launched) - launched));
          Matcher banner = LISTENING.matcher(Files.readString(log));
          assertTrue(banner.find(), "no start-up line in " + log);
          listening.add(Long.parseLong(banner.group(1)));
        } finally {
          service.destroy();
          service.waitFor(30, TimeUnit.SECONDS);
        }
      }
      System.out.printf("""

          === start-up of the packaged service (%d runs; Redis, RabbitMQ and an issuer over HTTP; AOT cache %s)
            launch to first OK CreateUser (new user): median %d ms, runs %s
            listening (the banner's figure)         : median %d ms, runs %s
          """, RUNS, aot().isFile() ? "used" : "absent", median(firstOk), firstOk, median(listening), listening);
    }
  }

  private static long firstCreated(int port, TestIdentityProvider idp, String subject, long launched)
      throws InterruptedException {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + idp.tokenFor(subject));
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try {
      while (System.nanoTime() - launched < TimeUnit.SECONDS.toNanos(60)) {
        try {
          CreateUserResponse response = UserServiceGrpc.newBlockingStub(channel)
              .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
              .withDeadlineAfter(5, TimeUnit.SECONDS)
              .createUser(CreateUserRequest.getDefaultInstance());
          assertTrue(response.getCreated(), "a new user");
          return System.nanoTime();
        } catch (StatusRuntimeException notYet) {
          channel.resetConnectBackoff();
          Thread.sleep(10);
        }
      }
      throw new AssertionError("no OK CreateUser within 60 s of the launch");
    } finally {
      channel.shutdownNow();
    }
  }

  private static File aot() {
    return PackagedService.aotCache();
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }
}
