package dev.userfabric.application;

import dev.userfabric.adapter.rpc.cli.CreateUserCall;
import dev.userfabric.application.wiring.OAuthFactory.IdentityProviders;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.grpc.server.GrpcEmbeddedServer;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code userfabric.training-run=true}: once the server listens, calls CreateUser on it for a new
 * and then a known user, and exits. The build runs the service this way under
 * {@code -XX:AOTCacheOutput} so that the JDK's ahead-of-time cache holds the classes (loaded and
 * linked) and method profiles of a start and a first call; {@code -XX:AOTCache} then starts the
 * service in well under half the time. Development mode only: it needs the development issuer's
 * tokens.
 */
@Singleton
@Requires(property = "userfabric.training-run", value = "true")
final class TrainingRun implements ApplicationEventListener<ServerStartupEvent> {

  private static final Logger log = LoggerFactory.getLogger(TrainingRun.class);

  private final IdentityProviders providers;

  TrainingRun(IdentityProviders providers) {
    this.providers = providers;
  }

  /** The gRPC server's start, not the management port's (both announce themselves). */
  @Override
  public boolean supports(ServerStartupEvent event) {
    return event.getSource() instanceof GrpcEmbeddedServer;
  }

  @Override
  public void onApplicationEvent(ServerStartupEvent event) {
    String target = "127.0.0.1:" + event.getSource().getPort();
    Thread.ofPlatform().name("training-run").start(() -> System.exit(train(target)));
  }

  private int train(String target) {
    var development = providers.development().orElse(null);
    if (development == null) {
      log.error("a training run needs the development issuer (start-dev, no userfabric.oauth.issuer)");
      return 1;
    }
    try {
      for (String user : new String[] {"training-run", "training-run"}) {
        CreateUserCall.createUser(target, development.issueToken(user), Duration.ofSeconds(30));
      }
      log.info("training run done: exiting");
      return 0;
    } catch (RuntimeException e) {
      log.error("training run failed", e);
      return 1;
    }
  }
}
