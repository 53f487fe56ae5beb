package dev.userfabric.adapter.rpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.Locale;
import java.util.Optional;

/**
 * Takes the bearer token out of the {@code authorization} metadata and hands it to the call.
 * Extraction only: whether the token is any good is the domain's question.
 */
final class BearerTokenInterceptor implements ServerInterceptor {

  static final Context.Key<Optional<String>> BEARER_TOKEN = Context.key("userfabric-bearer-token");
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final String SCHEME = "bearer ";

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    Context context = Context.current().withValue(BEARER_TOKEN, bearerToken(headers.get(AUTHORIZATION)));
    return Contexts.interceptCall(context, call, headers, next);
  }

  static Optional<String> bearerToken(String authorization) {
    // RFC 6750 2.1: the scheme is case-insensitive; exactly one token follows it.
    if (authorization == null || authorization.length() <= SCHEME.length()
        || !authorization.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME)) {
      return Optional.empty();
    }
    String token = authorization.substring(SCHEME.length()).strip();
    return token.isEmpty() || token.contains(" ") ? Optional.empty() : Optional.of(token);
  }
}
