package dev.userfabric.application.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * {@code userfabric.grpc.tls.*}: TLS for the gRPC port. Off (plaintext) unless a certificate chain
 * and its key are set; with {@code client-ca}, callers must also present a certificate that CA
 * signed (mutual TLS), or may, with {@code client-auth=optional}.
 */
@ConfigurationProperties("userfabric.grpc.tls")
public record GrpcTls(
    @Nullable String certChain,
    @Nullable String privateKey,
    @Nullable String clientCa,
    @Nullable String clientAuth) {

  public enum ClientAuth { NONE, OPTIONAL, REQUIRE }

  public boolean enabled() {
    return certChain != null || privateKey != null;
  }

  public ClientAuth clientAuthentication() {
    if (clientAuth == null || clientAuth.isBlank()) {
      return clientCa == null ? ClientAuth.NONE : ClientAuth.REQUIRE;
    }
    try {
      return ClientAuth.valueOf(clientAuth.strip().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidSetting("userfabric.grpc.tls.client-auth", clientAuth, "none, optional or require", null);
    }
  }

  /** How the banner says it: plaintext, TLS, or TLS with client certificates. */
  public String describe() {
    if (!enabled()) {
      return "plaintext";
    }
    return switch (clientAuthentication()) {
      case NONE -> "TLS";
      case OPTIONAL -> "TLS, client certificates verified when presented";
      case REQUIRE -> "TLS, client certificates required";
    };
  }
}
