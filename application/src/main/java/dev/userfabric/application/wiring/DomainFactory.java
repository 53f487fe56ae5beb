package dev.userfabric.application.wiring;

import dev.userfabric.domain.port.in.CreateUserUseCase;
import dev.userfabric.domain.port.in.RevokeAccessTokenUseCase;
import dev.userfabric.domain.port.in.RevokeUserTokensUseCase;
import dev.userfabric.domain.port.in.StoreCreatedUserUseCase;
import dev.userfabric.domain.port.out.AccessTokenVerifier;
import dev.userfabric.domain.port.out.RevocationList;
import dev.userfabric.domain.port.out.UserCache;
import dev.userfabric.domain.port.out.UserEventPublisher;
import dev.userfabric.domain.port.out.UserProfileProvider;
import dev.userfabric.domain.service.AccessControl;
import dev.userfabric.domain.service.AccessPolicy;
import dev.userfabric.domain.service.CreateUserService;
import dev.userfabric.domain.service.StoreCreatedUserService;
import dev.userfabric.domain.service.TokenRevocationService;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.InstantSource;
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
      UserProfileProvider profiles, UserEventPublisher publisher) {
    return new CreateUserService(accessControl, cache, profiles, publisher, InstantSource.system(), UUID::randomUUID);
  }

  @Singleton
  StoreCreatedUserUseCase storeCreatedUserUseCase(UserCache cache) {
    return new StoreCreatedUserService(cache);
  }

  @Singleton
  TokenRevocationService tokenRevocationService(AccessControl accessControl, RevocationList revocations) {
    return new TokenRevocationService(accessControl, revocations, InstantSource.system());
  }
}
