package dev.userfabric.application.wiring;

import dev.userfabric.application.config.OAuthProperties;
import dev.userfabric.domain.port.in.ApplyUserEventUseCase;
import dev.userfabric.domain.port.in.CreateUserUseCase;
import dev.userfabric.domain.port.in.DeleteUserUseCase;
import dev.userfabric.domain.port.in.ReadUserUseCase;
import dev.userfabric.domain.port.in.RefreshUserUseCase;
import dev.userfabric.domain.port.in.UnlinkIdentityUseCase;
import dev.userfabric.domain.port.out.AccessTokenVerifier;
import dev.userfabric.domain.port.out.RevocationList;
import dev.userfabric.domain.port.out.UserCache;
import dev.userfabric.domain.port.out.UserEventPublisher;
import dev.userfabric.domain.port.out.UserProfileProvider;
import dev.userfabric.domain.service.AccessControl;
import dev.userfabric.domain.service.AccessPolicy;
import dev.userfabric.domain.service.ApplyUserEventService;
import dev.userfabric.domain.service.CreateUserService;
import dev.userfabric.domain.service.DeleteUserService;
import dev.userfabric.domain.service.IdentityLinker;
import dev.userfabric.domain.service.UnlinkIdentityService;
import dev.userfabric.domain.service.ProvisioningGate;
import dev.userfabric.domain.service.ReadUserService;
import dev.userfabric.domain.service.RefreshUserService;
import dev.userfabric.domain.service.TokenRevocationService;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.InstantSource;
import java.util.Optional;
import java.util.UUID;

/** The use cases, built from whichever adapters the configuration selected. */
@Factory
public class DomainFactory {

  @Singleton
  AccessControl accessControl(AccessTokenVerifier verifier, RevocationList revocations, AccessPolicy policy) {
    return new AccessControl(verifier, revocations, policy);
  }

  @Singleton
  CreateUserUseCase createUserUseCase(AccessControl accessControl, UserCache cache,
      UserProfileProvider profiles, UserEventPublisher publisher, OAuthProperties properties,
      ProvisioningGate provisioning, IdentityLinker linker) {
    return new CreateUserService(accessControl, cache, profiles, publisher, InstantSource.system(), UUID::randomUUID,
        properties.profileMaxAge(), provisioning, linker);
  }

  @Singleton
  ReadUserUseCase readUserUseCase(AccessControl accessControl, UserCache cache) {
    return new ReadUserService(accessControl, cache);
  }

  @Singleton
  RefreshUserUseCase refreshUserUseCase(AccessControl accessControl, UserCache cache,
      UserProfileProvider profiles, UserEventPublisher publisher) {
    return new RefreshUserService(accessControl, cache, profiles, publisher, InstantSource.system(), UUID::randomUUID);
  }

  @Singleton
  DeleteUserUseCase deleteUserUseCase(AccessControl accessControl, UserCache cache, UserEventPublisher publisher,
      RevocationList revocations) {
    return new DeleteUserService(accessControl, cache, publisher, revocations, InstantSource.system(),
        UUID::randomUUID);
  }

  @Singleton
  ApplyUserEventUseCase applyUserEventUseCase(UserCache cache, IdentityLinker linker) {
    return new ApplyUserEventService(cache, linker);
  }

  @Singleton
  UnlinkIdentityUseCase unlinkIdentityUseCase(AccessControl accessControl, UserCache cache,
      UserEventPublisher publisher) {
    return new UnlinkIdentityService(accessControl, cache, publisher, InstantSource.system(), UUID::randomUUID);
  }

  @Singleton
  TokenRevocationService tokenRevocationService(AccessControl accessControl, RevocationList revocations,
      UserCache cache) {
    return new TokenRevocationService(accessControl, revocations, InstantSource.system(), Optional.of(cache));
  }
}
