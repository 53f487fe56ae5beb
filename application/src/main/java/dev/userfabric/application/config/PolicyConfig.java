package dev.userfabric.application.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * {@code userfabric.policy.*}: the provisioning policy file (unset: everyone with a valid token
 * becomes a user, and no identities are linked), how often it is checked for changes, and how long
 * a first login's claim on a verified email blocks a concurrent one through another issuer of its
 * link group (until the first is stored, at most this long).
 */
@ConfigurationProperties("userfabric.policy")
public record PolicyConfig(
    @Nullable String file,
    @Bindable(defaultValue = "5s") Duration checkInterval,
    @Bindable(defaultValue = "60s") Duration linkClaimTtl) {}
