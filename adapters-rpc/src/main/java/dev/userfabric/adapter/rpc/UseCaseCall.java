package dev.userfabric.adapter.rpc;

import dev.userfabric.domain.model.InvalidAccessToken;
import dev.userfabric.domain.model.UserFabricFailure;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one use case for one unary call and always ends the call: with the response, or with a
 * status. A handler that throws would reach the client as UNKNOWN.
 */
final class UseCaseCall {

  private static final Logger log = LoggerFactory.getLogger(UseCaseCall.class);

  private UseCaseCall() {}

  static <T> void respond(String method, StreamObserver<T> observer, Supplier<T> useCase) {
    T response;
    try {
      response = useCase.get();
    } catch (UserFabricFailure failure) {
      Status status = FailureToStatus.statusOf(failure);
      if (failure instanceof InvalidAccessToken) {
        log.info("{} refused: {}", method, failure.getMessage());
      } else {
        log.warn("{} failed with {}: {}", method, status.getCode(), failure.getMessage(), failure);
      }
      observer.onError(status.asRuntimeException());
      return;
    } catch (RuntimeException unexpected) {
      String correlationId = UUID.randomUUID().toString();
      log.error("{} failed unexpectedly [correlation id {}]", method, correlationId, unexpected);
      observer.onError(Status.INTERNAL
          .withDescription("internal error; correlation id " + correlationId).asRuntimeException());
      return;
    }
    observer.onNext(response);
    observer.onCompleted();
  }

  static void refuseMissingToken(String method, StreamObserver<?> observer) {
    log.info("{} refused: no bearer token", method);
    observer.onError(Status.UNAUTHENTICATED
        .withDescription("missing bearer token (authorization: Bearer <token>)").asRuntimeException());
  }
}
