package dev.userfabric.application.wiring;

import dev.userfabric.adapter.cache.InProcessLinkIndex;
import dev.userfabric.adapter.cache.InProcessRevocationList;
import dev.userfabric.adapter.cache.RedisLinkIndex;
import dev.userfabric.application.config.PolicyConfig;
import dev.userfabric.domain.port.out.LinkIndex;
import java.time.InstantSource;
import dev.userfabric.adapter.cache.InProcessUserCache;
import dev.userfabric.adapter.rpc.GrpcCallerBudget;
import io.opentelemetry.api.OpenTelemetry;
import dev.userfabric.adapter.cache.RedisRevocationList;
import dev.userfabric.adapter.cache.RedisCacheSettings;
import dev.userfabric.adapter.cache.RedisConnector;
import dev.userfabric.adapter.cache.RedisUserCache;
import dev.userfabric.application.config.ServerUris;
import io.micronaut.context.exceptions.ConfigurationException;
import dev.userfabric.application.config.RedisConfig;
import dev.userfabric.domain.port.out.RevocationList;
import dev.userfabric.domain.port.out.UserCache;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/** Users and revoked tokens: in Redis when {@code userfabric.redis.uri} is set, otherwise in memory. */
@Factory
public class CacheFactory {

  /** One connection for every Redis adapter: Lettuce pipelines it, and one connect is faster to start. */
  @Singleton
  @Requires(property = "userfabric.redis.uri")
  @Bean(preDestroy = "close")
  RedisConnector redisConnector(RedisConfig config, MeterRegistry registry, GrpcCallerBudget callerBudget,
      OpenTelemetry openTelemetry) {
    // with Lettuce's own command latencies; StartupReadiness waits for the connection
    return RedisConnector.openInBackground(settings(config), registry, callerBudget, openTelemetry);
  }

  @Singleton
  @Requires(property = "userfabric.redis.uri")
  RedisUserCache redisUserCache(RedisConnector connector, RedisConfig config) {
    try {
      return new RedisUserCache(connector, config.keyPrefix(), config.tombstoneRetention());
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("invalid userfabric.redis.tombstone-retention: " + e.getMessage(), e);
    }
  }

  @Singleton
  @Requires(missingProperty = "userfabric.redis.uri")
  UserCache inProcessUserCache() {
    return new InProcessUserCache();
  }

  @Singleton
  @Requires(property = "userfabric.redis.uri")
  RedisRevocationList redisRevocationList(RedisConnector connector, RedisConfig config,
      OAuthFactory.IdentityProviders providers) {
    return new RedisRevocationList(connector, config.keyPrefix(), providers.longestTokenLifetime());
  }

  @Singleton
  @Requires(property = "userfabric.redis.uri")
  LinkIndex redisLinkIndex(RedisConnector connector, RedisConfig config, PolicyConfig policy) {
    return new RedisLinkIndex(connector, config.keyPrefix(), policy.linkClaimTtl());
  }

  @Singleton
  @Requires(missingProperty = "userfabric.redis.uri")
  LinkIndex inProcessLinkIndex(PolicyConfig policy) {
    return new InProcessLinkIndex(policy.linkClaimTtl(), InstantSource.system());
  }

  @Singleton
  @Requires(property = "userfabric.redis.uri")
  Dependency redisDependency(RedisConnector connector) {
    return new Dependency("redis", connector::isConnected);
  }

  @Singleton
  @Requires(missingProperty = "userfabric.redis.uri")
  RevocationList inProcessRevocationList() {
    return new InProcessRevocationList();
  }

  private static RedisCacheSettings settings(RedisConfig config) {
    try {
      return new RedisCacheSettings(ServerUris.redis(config.uri()), config.keyPrefix(), config.commandTimeout(),
          config.requestQueueSize());
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("invalid userfabric.redis.*: " + e.getMessage(), e);
    }
  }
}
