package dev.userfabric.application.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/** {@code userfabric.redis.*}: where users are stored. Without a URI they stay in memory. */
@ConfigurationProperties("userfabric.redis")
public record RedisConfig(
    @Nullable String uri,
    @Bindable(defaultValue = "userfabric:") String keyPrefix,
    @Bindable(defaultValue = "1s") Duration commandTimeout,
    @Bindable(defaultValue = "1024") int requestQueueSize,
    @Bindable(defaultValue = "30d") Duration tombstoneRetention) {}
