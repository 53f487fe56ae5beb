package dev.userfabric.application.wiring;

import dev.userfabric.adapter.oauth.IssuerSettings;
import dev.userfabric.application.config.PolicyConfig;
import dev.userfabric.application.policy.MeteredPolicyAudit;
import dev.userfabric.application.policy.ReloadablePolicy;
import dev.userfabric.domain.policy.ProvisioningPolicy;
import dev.userfabric.domain.port.in.EvaluatePolicyUseCase;
import dev.userfabric.domain.port.out.LinkIndex;
import dev.userfabric.domain.port.out.PolicyAudit;
import dev.userfabric.domain.port.out.PolicySource;
import dev.userfabric.domain.port.out.UserCache;
import dev.userfabric.domain.port.out.UserProfileProvider;
import dev.userfabric.domain.service.AccessControl;
import dev.userfabric.domain.service.EvaluatePolicyService;
import dev.userfabric.domain.service.IdentityLinker;
import dev.userfabric.domain.service.ProvisioningGate;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The provisioning policy: from its file when one is configured, reloaded on change or SIGHUP. */
@Factory
public class PolicyFactory {

  private static final Logger log = LoggerFactory.getLogger(PolicyFactory.class);

  @Singleton
  @Bean(preDestroy = "close")
  PolicyHolder policyHolder(PolicyConfig config, OAuthFactory.IdentityProviders providers, MeterRegistry registry) {
    if (config.file() == null || config.file().isBlank()) {
      return new PolicyHolder(PolicySource.fixed(ProvisioningPolicy.OPEN), null);
    }
    Set<String> trusted = providers.trusted().settings().stream().map(IssuerSettings::issuerId)
        .collect(Collectors.toSet());
    ReloadablePolicy policy = new ReloadablePolicy(Path.of(config.file()), trusted, config.checkInterval(), registry);
    reloadOnHangUp(policy);
    return new PolicyHolder(policy, policy);
  }

  @Singleton
  PolicySource policySource(PolicyHolder holder) {
    return holder.source();
  }

  @Singleton
  PolicyAudit policyAudit(MeterRegistry registry) {
    return new MeteredPolicyAudit(registry);
  }

  @Singleton
  ProvisioningGate provisioningGate(PolicySource source, PolicyAudit audit) {
    return new ProvisioningGate(source, audit);
  }

  /** Off unless the policy file has link groups: then one lookup per first login, nothing more. */
  @Singleton
  IdentityLinker identityLinker(PolicySource source, LinkIndex index, UserCache cache) {
    return new IdentityLinker(source, index, cache);
  }

  @Singleton
  EvaluatePolicyUseCase evaluatePolicyUseCase(AccessControl accessControl, UserCache cache,
      UserProfileProvider profiles, ProvisioningGate gate) {
    return new EvaluatePolicyService(accessControl, cache, profiles, gate);
  }

  /** The policy in force, and what to close with the context (the file watcher, if any). */
  record PolicyHolder(PolicySource source, ReloadablePolicy reloadable) {
    void close() {
      if (reloadable != null) {
        reloadable.close();
      }
    }
  }

  /**
   * SIGHUP reads the policy file at once (kill -HUP, or a sidecar that sees the file change).
   * The JVM would otherwise stop on it; with a policy file, it reloads instead.
   */
  @SuppressWarnings("restriction")
  private static void reloadOnHangUp(ReloadablePolicy policy) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
        log.info("SIGHUP: reading the provisioning policy again");
        // Off the signal thread: reading and parsing may take a while.
        Thread.ofVirtual().name("policy-reload").start(() -> policy.reload(true));
      });
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      log.warn("SIGHUP cannot be handled here ({}); the policy file is still checked for changes", e.getMessage());
    }
  }
}
