package dev.userfabric.application.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/** {@code userfabric.grpc.*}: how much the gRPC services take on at once. */
@ConfigurationProperties("userfabric.grpc")
public record GrpcLimits(@Bindable(defaultValue = "200") int maxConcurrentCalls) {}
