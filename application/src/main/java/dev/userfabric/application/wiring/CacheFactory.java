package dev.userfabric.application.wiring;

import dev.userfabric.adapter.cache.InProcessRevocationList;
import dev.userfabric.adapter.cache.InProcessUserCache;
import dev.userfabric.adapter.cache.RedisRevocationList;
import dev.userfabric.adapter.cache.RedisCacheSettings;
import dev.userfabric.adapter.cache.RedisUserCache;
import dev.userfabric.application.config.RedisConfig;
import dev.userfabric.domain.port.out.RevocationList;
import dev.userfabric.domain.port.out.UserCache;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/** Users and revoked tokens: in Redis when {@code userfabric.redis.uri} is set, otherwise in memory. */
@Factory
public class CacheFactory {

  @Singleton
  @Requires(property = "userfabric.redis.uri")
  @Bean(preDestroy = "close")
  RedisUserCache redisUserCache(RedisConfig config) {
    return new RedisUserCache(settings(config));
  }

  @Singleton
  @Requires(missingProperty = "userfabric.redis.uri")
  UserCache inProcessUserCache() {
    return new InProcessUserCache();
  }

  @Singleton
  @Requires(property = "userfabric.redis.uri")
  @Bean(preDestroy = "close")
  RedisRevocationList redisRevocationList(RedisConfig config, OAuthFactory.IdentityProviders providers) {
    return new RedisRevocationList(settings(config), providers.longestTokenLifetime());
  }

  @Singleton
  @Requires(property = "userfabric.redis.uri")
  Dependency redisDependency(RedisUserCache users, RedisRevocationList revocations) {
    return new Dependency("redis", () -> users.isConnected() && revocations.isConnected());
  }

  @Singleton
  @Requires(missingProperty = "userfabric.redis.uri")
  RevocationList inProcessRevocationList() {
    return new InProcessRevocationList();
  }

  private static RedisCacheSettings settings(RedisConfig config) {
    return new RedisCacheSettings(config.uri(), config.keyPrefix(), config.commandTimeout(), config.requestQueueSize());
  }
}
