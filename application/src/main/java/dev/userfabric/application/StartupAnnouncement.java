package dev.userfabric.application;

import dev.userfabric.application.wiring.OAuthFactory.IdentityProviders;
import java.lang.management.ManagementFactory;
import java.util.stream.Collectors;
import dev.userfabric.application.config.RabbitConfig;
import dev.userfabric.application.config.RedisConfig;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Says, once the server listens, where it is, what it is wired to, and how to call it. */
@Singleton
final class StartupAnnouncement implements ApplicationEventListener<ServerStartupEvent> {

  private static final Logger log = LoggerFactory.getLogger(StartupAnnouncement.class);

  private final IdentityProviders oauth;
  private final RedisConfig redis;
  private final RabbitConfig rabbit;

  StartupAnnouncement(IdentityProviders oauth, RedisConfig redis, RabbitConfig rabbit) {
    this.oauth = oauth;
    this.redis = redis;
    this.rabbit = rabbit;
  }

  @Override
  public void onApplicationEvent(ServerStartupEvent event) {
    int port = event.getSource().getPort();
    String host = event.getSource().getHost();
    long startedMillis = ManagementFactory.getRuntimeMXBean().getUptime();
    log.info("""

        Userfabric is listening for gRPC on {}:{} (plaintext), {} ms after the JVM started
          services : userfabric.v1.UserService, userfabric.v1.TokenService, demeter.ops.v1alpha.UserService, grpc.health.v1.Health, reflection
          issuers  : {}
          cache    : {}
          events   : {}
        Try it:  ./userfabric-client --target 127.0.0.1:{} alice   (run it twice: created=true, then false)""",
        host, port, startedMillis, oauth.trusted().settings().stream()
            .map(issuer -> issuer.issuerId() + " (audience " + issuer.audience() + ", " + issuer.tokenFormat() + ")")
            .collect(Collectors.joining(", ")),
        redis.uri() != null ? "Redis " + redis.uri().replaceAll("//[^@/]*@", "//***@") : "in memory (embedded)",
        rabbit.uri() != null ? "RabbitMQ " + rabbit.uri().replaceAll("//[^@/]*@", "//***@") : "in-process queue (embedded)",
        port);
  }
}
