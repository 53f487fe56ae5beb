package dev.userfabric.application.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * {@code userfabric.rabbitmq.*}: where events go. Without a URI an in-process queue carries them.
 * {@code name-prefix} is prepended to every exchange and queue name (empty in production).
 * {@code log-enabled}, {@code log-max-age} (e.g. {@code 30D}) and {@code log-max-bytes}: the event
 * log stream and its retention (unlimited unless set).
 */
@ConfigurationProperties("userfabric.rabbitmq")
public record RabbitConfig(
    @Nullable String uri,
    @Bindable(defaultValue = "") String namePrefix,
    @Bindable(defaultValue = "quorum") String queueType,
    @Bindable(defaultValue = "5s") Duration confirmTimeout,
    @Bindable(defaultValue = "1024") int maxInFlightPublishes,
    @Bindable(defaultValue = "2") int consumers,
    @Bindable(defaultValue = "256") int prefetch,
    @Bindable(defaultValue = "100ms") Duration retryFirstPause,
    @Bindable(defaultValue = "1s") Duration retryMaxPause,
    @Bindable(defaultValue = "5") int maxAttempts,
    @Bindable(defaultValue = "20") int deliveryLimit,
    @Bindable(defaultValue = "true") boolean logEnabled,
    @Nullable String logMaxAge,
    @Nullable Long logMaxBytes) {}
