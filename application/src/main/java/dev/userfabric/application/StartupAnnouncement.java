package dev.userfabric.application;

import dev.userfabric.application.config.GrpcTls;
import dev.userfabric.application.config.InvalidSetting;
import dev.userfabric.application.config.RabbitConfig;
import dev.userfabric.application.config.RedisConfig;
import dev.userfabric.application.wiring.OAuthFactory.IdentityProviders;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.grpc.server.GrpcEmbeddedServer;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Says, once the server listens, where it is, what it is wired to, and how to call it. */
@Singleton
final class StartupAnnouncement implements ApplicationEventListener<ServerStartupEvent> {

  private static final Logger log = LoggerFactory.getLogger(StartupAnnouncement.class);

  private final IdentityProviders oauth;
  private final RedisConfig redis;
  private final RabbitConfig rabbit;
  private final GrpcTls tls;

  StartupAnnouncement(IdentityProviders oauth, RedisConfig redis, RabbitConfig rabbit, GrpcTls tls) {
    this.oauth = oauth;
    this.redis = redis;
    this.rabbit = rabbit;
    this.tls = tls;
  }

  private io.micronaut.runtime.server.EmbeddedServer grpcServer; // guarded by this
  private io.micronaut.runtime.server.EmbeddedServer managementServer; // guarded by this

  /** Both servers announce their start, in either order: say it all once both listen. */
  @Override
  public synchronized void onApplicationEvent(ServerStartupEvent event) {
    if (event.getSource() instanceof GrpcEmbeddedServer grpc) {
      grpcServer = grpc;
    } else {
      managementServer = event.getSource();
    }
    if (grpcServer != null && managementServer != null) {
      announce(grpcServer, managementServer);
    }
  }

  private void announce(io.micronaut.runtime.server.EmbeddedServer grpc,
      io.micronaut.runtime.server.EmbeddedServer management) {
    int port = grpc.getPort();
    String host = grpc.getHost();
    long startedMillis = ManagementFactory.getRuntimeMXBean().getUptime();
    log.info("""

        Userfabric is listening for gRPC on {}:{} ({}), {} ms after the JVM started
          services : userfabric.v1.UserService, userfabric.v1.TokenService, demeter.ops.v1alpha.UserService, grpc.health.v1.Health, reflection
          issuers  : {}
          cache    : {}
          events   : {}
          manage   : {}{}""",
        host, port, tls.describe(), startedMillis, oauth.trusted().settings().stream()
            .map(issuer -> issuer.issuerId() + " (audience " + issuer.audience() + ", " + issuer.tokenFormat() + ")")
            .collect(Collectors.joining(", ")),
        redis.uri() != null ? "Redis " + InvalidSetting.masked(redis.uri()) : "in memory (embedded)",
        rabbit.uri() != null ? "RabbitMQ " + InvalidSetting.masked(rabbit.uri()) : "in-process queue (embedded)",
        "http://" + management.getHost() + ":" + management.getPort() + " (/health/readiness, /prometheus)",
        tryIt(host, port));
  }

  /**
   * A command that works as written, or nothing: only the development issuer hands out tokens
   * the client can fetch by itself.
   */
  private String tryIt(String host, int port) {
    return oauth.development().map(development -> {
      List<String> command = new ArrayList<>(List.of("./userfabric-client"));
      String target = (host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host) + ":" + port;
      if (!target.equals("127.0.0.1:50051")) {
        command.add("--target " + target);
      }
      if (!development.issuer().toString().equals("http://127.0.0.1:8480")) {
        command.add("--issuer " + development.issuer());
      }
      if (tls.enabled()) {
        command.add("--tls-ca " + tls.certChain());
        if (tls.clientAuthentication() == GrpcTls.ClientAuth.REQUIRE) {
          command.add("--tls-cert CLIENT.pem --tls-key CLIENT-KEY.pem");
        }
      }
      command.add("alice");
      return "\nTry it:  " + String.join(" ", command) + "   (run it twice: created true, then false)";
    }).orElse("");
  }
}
