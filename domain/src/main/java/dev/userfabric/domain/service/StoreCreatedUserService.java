package dev.userfabric.domain.service;

import dev.userfabric.domain.model.User;
import dev.userfabric.domain.port.in.StoreCreatedUserCommand;
import dev.userfabric.domain.port.in.StoreCreatedUserResult;
import dev.userfabric.domain.port.in.StoreCreatedUserUseCase;
import dev.userfabric.domain.port.out.UserCache;
import java.util.Objects;

/**
 * The event flow of 000-user-creation-flows: a UserCreated event stores its user unless the user
 * is stored already. The lookup spares a write; insert-if-absent keeps a race between two
 * deliveries for one user from storing it twice.
 */
public final class StoreCreatedUserService implements StoreCreatedUserUseCase {

  private final UserCache userCache;

  public StoreCreatedUserService(UserCache userCache) {
    this.userCache = Objects.requireNonNull(userCache);
  }

  @Override
  public StoreCreatedUserResult storeCreatedUser(StoreCreatedUserCommand command) {
    User user = command.event().user();

    if (userCache.find(user.id()).isPresent()) {
      return StoreCreatedUserResult.ALREADY_STORED;
    }

    boolean inserted = userCache.insertIfAbsent(user);
    return inserted ? StoreCreatedUserResult.INSERTED : StoreCreatedUserResult.ALREADY_STORED;
  }
}
