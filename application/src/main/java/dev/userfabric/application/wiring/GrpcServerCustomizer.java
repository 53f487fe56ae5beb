package dev.userfabric.application.wiring;

import dev.userfabric.adapter.rpc.ServerCalls;
import dev.userfabric.adapter.rpc.ServerTls;
import dev.userfabric.application.config.GrpcTls;
import dev.userfabric.application.config.GrpcTls.ClientAuth;
import dev.userfabric.application.config.InvalidSetting;
import io.grpc.ServerBuilder;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;
import java.io.File;
import java.util.Optional;

/**
 * What the gRPC server Micronaut builds needs besides the services: where calls run, and TLS.
 * The one class outside the RPC adapter that names a gRPC type: the hook Micronaut offers is
 * typed by the server builder.
 *
 * <p>Calls run on virtual threads ({@link ServerCalls#onVirtualThreads}): a call blocks on Redis,
 * the identity provider and the broker's confirm, and Micronaut's I/O pool gave each of those
 * waits a platform thread (about 80 of them for 64 calls outstanding, and a hand-off each).
 *
 * <p>TLS (and, when asked, client-certificate verification): Micronaut's own
 * {@code grpc.server.ssl} has no client authentication, so the whole TLS set-up lives here and in
 * {@link ServerTls}.
 */
@Singleton
final class GrpcServerCustomizer implements BeanCreatedEventListener<ServerBuilder<?>> {

  private final GrpcTls tls;

  GrpcServerCustomizer(GrpcTls tls) {
    this.tls = tls;
  }

  @Override
  public ServerBuilder<?> onCreated(BeanCreatedEvent<ServerBuilder<?>> event) {
    ServerBuilder<?> builder = ServerCalls.onVirtualThreads(event.getBean());
    if (!tls.enabled()) {
      return builder;
    }
    ClientAuth clientAuth = tls.clientAuthentication();
    ServerTls serverTls = new ServerTls(
        readable("userfabric.grpc.tls.cert-chain", tls.certChain()),
        readable("userfabric.grpc.tls.private-key", tls.privateKey()),
        clientAuth == ClientAuth.NONE ? Optional.empty()
            : Optional.of(readable("userfabric.grpc.tls.client-ca", tls.clientCa())),
        clientAuth == ClientAuth.REQUIRE);
    try {
      return serverTls.applyTo(builder);
    } catch (IllegalArgumentException e) {
      throw new InvalidSetting("userfabric.grpc.tls.cert-chain and private-key",
          tls.certChain() + ", " + tls.privateKey(), "a PEM certificate chain and its PKCS#8 PEM private key", e);
    }
  }

  private static File readable(String property, String path) {
    if (path == null || path.isBlank()) {
      throw new InvalidSetting(property, "", "the path of a PEM file", null);
    }
    File file = new File(path);
    if (!file.canRead()) {
      throw new InvalidSetting(property, path, "the path of a readable PEM file", null);
    }
    return file;
  }
}
