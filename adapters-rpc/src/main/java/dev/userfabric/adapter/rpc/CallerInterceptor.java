package dev.userfabric.adapter.rpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.net.SocketAddress;
import java.util.Optional;

/**
 * Hands each call who is calling: the bearer token from the {@code authorization} metadata and
 * the peer address (for the security log). Extraction only: whether the token is any good is
 * the domain's question.
 */
final class CallerInterceptor implements ServerInterceptor {

  static final Context.Key<Optional<String>> BEARER_TOKEN = Context.key("userfabric-bearer-token");
  // The address, not its text: only a refused call's log line formats it, not every call.
  static final Context.Key<SocketAddress> PEER = Context.key("userfabric-peer");
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final String SCHEME = "bearer ";

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    SocketAddress peer = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    Context context = Context.current()
        .withValue(BEARER_TOKEN, bearerToken(headers.getAll(AUTHORIZATION)))
        .withValue(PEER, peer);
    return Contexts.interceptCall(context, call, headers, next);
  }

  /**
   * RFC 6750 2: one method, one credential. Two authorization fields count as none: an
   * intermediary that reads the other one must never disagree with us on who is calling.
   */
  private static Optional<String> bearerToken(Iterable<String> fields) {
    if (fields == null) {
      return Optional.empty();
    }
    java.util.Iterator<String> values = fields.iterator();
    String first = values.next();
    return values.hasNext() ? Optional.empty() : bearerToken(first);
  }

  static Optional<String> bearerToken(String authorization) {
    // RFC 6750 2.1: the scheme is case-insensitive; exactly one token follows it.
    if (authorization == null || authorization.length() <= SCHEME.length()
        || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      return Optional.empty();
    }
    String token = authorization.substring(SCHEME.length()).strip();
    return token.isEmpty() || token.contains(" ") ? Optional.empty() : Optional.of(token);
  }

  /** The caller's bearer token, if the call came through this interceptor with one. */
  static Optional<String> currentToken() {
    Optional<String> token = BEARER_TOKEN.get();
    return token == null ? Optional.empty() : token;
  }
}
