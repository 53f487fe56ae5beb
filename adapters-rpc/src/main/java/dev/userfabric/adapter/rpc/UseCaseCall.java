package dev.userfabric.adapter.rpc;

import dev.userfabric.adapter.rpc.FailureToStatus.Refusal;
import dev.userfabric.domain.model.CallAbandoned;
import dev.userfabric.domain.model.Overloaded;
import dev.userfabric.domain.model.UserFabricFailure;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one use case for one unary call and always ends the call: with the response, or with a
 * status. A handler that throws would reach the client as UNKNOWN. Every refused credential is
 * written to the {@code userfabric.security} log with its specific reason and a fingerprint of
 * the token, never the token.
 */
final class UseCaseCall {

  private static final Logger log = LoggerFactory.getLogger(UseCaseCall.class);
  private static final Logger security = LoggerFactory.getLogger("userfabric.security");

  static final Duration DEFAULT_BUDGET = Duration.ofSeconds(10);

  private UseCaseCall() {}

  static <T> void respond(String method, Optional<String> token, StreamObserver<T> observer, Supplier<T> useCase) {
    T response;
    try {
      response = withinBudget(useCase);
    } catch (UserFabricFailure failure) {
      Refusal refusal = FailureToStatus.refusalOf(failure);
      if (refusal.isRefusal()) {
        logRefusal(method, refusal, failure.getMessage(), token);
      } else if (failure instanceof CallAbandoned || failure instanceof Overloaded) {
        log.info("{} ended with {}: {}", method, refusal.code(), failure.getMessage()); // expected under load
      } else {
        // A dependency's outage is one line per call, its cause included; the trace says nothing
        // an operator can act on, and thousands of them would drown the log (DEBUG has it).
        log.warn("{} failed with {} {}: {}{}", method, refusal.code(), refusal.reason(), failure.getMessage(),
            failure.getCause() != null ? " (" + failure.getCause() + ")" : "");
        log.debug("{} failure trace", method, failure);
      }
      observer.onError(refusal.toException());
      return;
    } catch (RuntimeException unexpected) {
      String correlationId = UUID.randomUUID().toString();
      log.error("{} failed unexpectedly [correlation id {}]", method, correlationId, unexpected);
      observer.onError(FailureToStatus.internal(correlationId).toException());
      return;
    }
    observer.onNext(response);
    observer.onCompleted();
  }

  /**
   * Runs the use case in the call's gRPC context, where {@link GrpcCallerBudget} finds the
   * caller's deadline and cancellation for every downstream call. A caller that set no deadline
   * still gets an answer within {@link #DEFAULT_BUDGET}.
   */
  private static <T> T withinBudget(Supplier<T> useCase) {
    Context call = Context.current();
    if (call.getDeadline() != null) {
      return useCase.get();
    }
    Context bounded = call.withValue(GrpcCallerBudget.DEFAULT_DEADLINE_NANOS, System.nanoTime() + DEFAULT_BUDGET.toNanos());
    Context previous = bounded.attach();
    try {
      return useCase.get();
    } finally {
      bounded.detach(previous);
    }
  }

  static void refuse(String method, Refusal refusal, String detail, StreamObserver<?> observer) {
    logRefusal(method, refusal, detail, Optional.empty());
    observer.onError(refusal.toException());
  }

  private static void logRefusal(String method, Refusal refusal, String detail, Optional<String> token) {
    String peer = Objects.toString(CallerInterceptor.PEER.get(), "unknown");
    String fingerprint = token.map(UseCaseCall::fingerprint).orElse("none");
    // The same fields twice: in the readable line, and as key-values a JSON log keeps as fields.
    security.atWarn()
        .addKeyValue("method", method).addKeyValue("status", refusal.code().name())
        .addKeyValue("reason", refusal.reason()).addKeyValue("detail", printable(detail))
        .addKeyValue("peer", peer).addKeyValue("token", fingerprint)
        .log("refused method={} status={} reason={} detail=\"{}\" peer={} token={}",
            method, refusal.code(), refusal.reason(), printable(detail), peer, fingerprint);
  }

  /** Enough of a digest to match log lines for one token; useless for replaying it. */
  static String fingerprint(String token) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Details can quote token headers: no line breaks or control characters reach the log. */
  private static String printable(String detail) {
    if (detail == null) {
      return "";
    }
    String flat = detail.codePoints().map(c -> Character.isISOControl(c) || c == '"' ? '?' : c)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    return flat.length() > 200 ? flat.substring(0, 200) + "..." : flat;
  }
}
