package dev.userfabric.application.wiring;

import dev.userfabric.domain.port.in.CreateUserUseCase;
import dev.userfabric.domain.port.in.StoreCreatedUserUseCase;
import dev.userfabric.domain.port.out.AccessTokenVerifier;
import dev.userfabric.domain.port.out.UserCache;
import dev.userfabric.domain.port.out.UserEventPublisher;
import dev.userfabric.domain.port.out.UserProfileProvider;
import dev.userfabric.domain.service.CreateUserService;
import dev.userfabric.domain.service.StoreCreatedUserService;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.InstantSource;
import java.util.UUID;

/** The two use cases, built from whichever adapters the configuration selected. */
@Factory
public class DomainFactory {

  @Singleton
  CreateUserUseCase createUserUseCase(AccessTokenVerifier verifier, UserCache cache,
      UserProfileProvider profiles, UserEventPublisher publisher) {
    return new CreateUserService(verifier, cache, profiles, publisher, InstantSource.system(), UUID::randomUUID);
  }

  @Singleton
  StoreCreatedUserUseCase storeCreatedUserUseCase(UserCache cache) {
    return new StoreCreatedUserService(cache);
  }
}
