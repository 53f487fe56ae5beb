package dev.userfabric.application.config;

import dev.userfabric.adapter.cache.RedisCacheSettings;
import dev.userfabric.adapter.event.RabbitSettings;

/**
 * The two server URIs, checked where they are read, so that a typo stops the start before anything
 * connects, with the property named.
 */
public final class ServerUris {

  public static final String REDIS = "userfabric.redis.uri";
  public static final String RABBITMQ = "userfabric.rabbitmq.uri";

  private ServerUris() {}

  public static String redis(String uri) {
    try {
      RedisCacheSettings.requireRedisUri(uri);
      return uri;
    } catch (IllegalArgumentException e) {
      throw new InvalidSetting(REDIS, uri, "redis://[USER:PASSWORD@]HOST[:PORT][/DB], or rediss://... for TLS", e);
    }
  }

  public static String rabbitmq(String uri) {
    try {
      RabbitSettings.requireAmqpUri(uri);
      return uri;
    } catch (IllegalArgumentException e) {
      throw new InvalidSetting(RABBITMQ, uri,
          "amqp://USER:PASSWORD@HOST[:PORT]/VHOST (the vhost / is %2F), or amqps://... for TLS", e);
    }
  }
}
