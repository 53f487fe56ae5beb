package dev.userfabric.application.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userfabric.adapter.oauth.testing.TestIdentityProvider;
import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.proto.v1.CreateUserRequest;
import dev.userfabric.proto.v1.UserServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Callers making first logins (a new subject each call) against one service until closed, for
 * the failover tests, keeping the books: the users answered, the users of refused calls, and any
 * failure that is not UNAVAILABLE (which the test asserts on its own thread). A refused caller
 * pauses briefly, as a client retrying with backoff would.
 */
final class FirstLogins implements AutoCloseable {

  final Set<String> answered = ConcurrentHashMap.newKeySet();
  final Set<String> refusedUsers = ConcurrentHashMap.newKeySet();
  final Set<String> unexpected = ConcurrentHashMap.newKeySet();
  final AtomicInteger refused = new AtomicInteger();
  private final AtomicLong lastRefusedAt = new AtomicLong();
  private final AtomicBoolean calling = new AtomicBoolean(true);
  private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();

  FirstLogins(ManagedChannel channel, TestIdentityProvider idp, int concurrency) {
    for (int c = 0; c < concurrency; c++) {
      callers.execute(() -> {
        while (calling.get()) {
          String subject = "failover-" + UUID.randomUUID();
          try {
            answered.add(createUser(channel, idp.tokenFor(subject)));
          } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
              unexpected.add(e.toString());
            }
            refused.incrementAndGet();
            refusedUsers.add(UserId.of(new Identity(idp.issuer(), subject)).toString());
            lastRefusedAt.set(System.nanoTime());
            pause();
          }
        }
      });
    }
  }

  void awaitAnswered(int count, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (answered.size() < count) {
      assertTrue(System.nanoTime() < deadline, "only " + answered.size() + " of " + count + " calls answered");
      Thread.sleep(20);
    }
  }

  /** How long after {@code nanoTime} the last call was refused, in ms (0 if none was). */
  long lastRefusalMillisAfter(long nanoTime) {
    long last = lastRefusedAt.get();
    return last == 0 ? 0 : Math.max(0, (last - nanoTime) / 1_000_000);
  }

  /** Stops the callers and waits for the calls in flight. */
  @Override
  public void close() {
    calling.set(false);
    callers.close();
  }

  /**
   * Every id in the listing index of every shard under {@code prefix}, read with {@code zrange},
   * once it holds every answered user (or {@code within} has passed).
   */
  Set<String> awaitStored(Function<String, List<String>> zrange, String prefix, Duration within)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      Set<String> stored = new HashSet<>();
      for (int shard = 0; shard < 256; shard++) {
        stored.addAll(zrange.apply(prefix + String.format("{u%02x}users", shard)));
      }
      if (stored.containsAll(answered) || System.nanoTime() > deadline) {
        return stored;
      }
      Thread.sleep(100);
    }
  }

  private static String createUser(ManagedChannel channel, String token) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    return UserServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .createUser(CreateUserRequest.getDefaultInstance()).getUser().getId();
  }

  private static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
