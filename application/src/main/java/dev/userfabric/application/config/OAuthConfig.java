package dev.userfabric.application.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;
import java.util.Set;

/**
 * {@code userfabric.oauth.*}: the trusted identity provider. Without an issuer the built-in
 * development provider is started on {@code dev-issuer-port}.
 */
@ConfigurationProperties("userfabric.oauth")
public record OAuthConfig(
    @Nullable String issuer,
    @Nullable String audience,
    @Bindable(defaultValue = "RS256,RS384,RS512,PS256,PS384,PS512,ES256,ES384,ES512,EdDSA")
        Set<String> algorithms,
    @Bindable(defaultValue = "at+jwt,JWT") Set<String> tokenTypes,
    @Bindable(defaultValue = "30s") Duration clockSkew,
    @Bindable(defaultValue = "2s") Duration httpTimeout,
    @Bindable(defaultValue = "5m") Duration keyCacheTtl,
    @Bindable(defaultValue = "8480") int devIssuerPort) {}
