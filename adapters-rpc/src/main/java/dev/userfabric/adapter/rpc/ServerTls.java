package dev.userfabric.adapter.rpc;

import io.grpc.ServerBuilder;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyServerBuilder;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * TLS for the gRPC port, optionally verifying client certificates (mutual TLS).
 *
 * @param certChain the server's certificate chain (PEM)
 * @param privateKey its private key (PKCS#8 PEM)
 * @param clientCa the CA certificates client certificates must chain to (PEM), when they are verified
 * @param requireClientCertificate with a {@code clientCa}: refuse callers without a certificate,
 *     rather than verify one only when it is presented
 */
public record ServerTls(File certChain, File privateKey, Optional<File> clientCa, boolean requireClientCertificate) {

  public ServerTls {
    Objects.requireNonNull(certChain, "certChain");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(clientCa, "clientCa");
  }

  /**
   * Puts this TLS set-up on a Netty server builder.
   *
   * @throws IllegalArgumentException when the files are not a usable certificate and key, or the
   *     builder is not Netty's
   */
  public ServerBuilder<?> applyTo(ServerBuilder<?> builder) {
    if (!(builder instanceof NettyServerBuilder netty)) {
      throw new IllegalArgumentException("TLS needs the Netty gRPC transport, not " + builder.getClass().getName());
    }
    try {
      SslContextBuilder context = GrpcSslContexts.configure(SslContextBuilder.forServer(certChain, privateKey));
      clientCa.ifPresent(ca -> context.trustManager(ca)
          .clientAuth(requireClientCertificate ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL));
      return netty.sslContext(context.build());
    } catch (SSLException | RuntimeException e) {
      throw new IllegalArgumentException("not a usable certificate chain and private key: " + e.getMessage(), e);
    }
  }
}
