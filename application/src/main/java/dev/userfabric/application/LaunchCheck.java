package dev.userfabric.application;

import dev.userfabric.application.UserFabricApplication.LaunchMode;
import dev.userfabric.application.config.ServerUris;
import io.micronaut.context.env.Environment;
import io.micronaut.context.exceptions.ConfigurationException;
import java.util.ArrayList;
import java.util.List;

/**
 * Production asks for the real servers: a deployment that forgot one must not quietly run with a
 * private in-memory store per replica, or with a development issuer that hands a token to anyone.
 */
final class LaunchCheck {

  private LaunchCheck() {}

  static void requireSettings(Environment environment, LaunchMode mode) {
    environment.getProperty(ServerUris.REDIS, String.class).ifPresent(ServerUris::redis);
    environment.getProperty(ServerUris.RABBITMQ, String.class).ifPresent(ServerUris::rabbitmq);
    if (mode.development(List.copyOf(environment.getActiveNames()))) {
      return;
    }
    List<String> missing = new ArrayList<>();
    if (!environment.containsProperty("userfabric.redis.uri")) {
      missing.add("userfabric.redis.uri (USERFABRIC_REDIS_URI)");
    }
    if (!environment.containsProperty("userfabric.rabbitmq.uri")) {
      missing.add("userfabric.rabbitmq.uri (USERFABRIC_RABBITMQ_URI)");
    }
    if (mode == LaunchMode.REBUILD) { // replays into the store: no issuer involved
      if (!missing.isEmpty()) {
        throw new ConfigurationException("rebuild needs " + String.join(", ", missing)
            + ": the store to rebuild and the broker whose event log is replayed");
      }
      return;
    }
    if (!environment.containsProperty("userfabric.oauth.issuer")
        && environment.getPropertyEntries("userfabric.oauth.issuers").isEmpty()) {
      missing.add("userfabric.oauth.issuer (USERFABRIC_OAUTH_ISSUER)");
    }
    if (!missing.isEmpty()) {
      throw new ConfigurationException("production mode needs " + String.join(", ", missing)
          + "; set them, or run the development mode with embedded stand-ins: "
          + "java -jar userfabric.jar start-dev (what ./run.sh does)");
    }
  }
}
