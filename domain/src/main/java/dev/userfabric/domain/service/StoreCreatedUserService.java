package dev.userfabric.domain.service;

import dev.userfabric.domain.model.User;
import dev.userfabric.domain.port.in.StoreCreatedUserCommand;
import dev.userfabric.domain.port.in.StoreCreatedUserResult;
import dev.userfabric.domain.port.in.StoreCreatedUserUseCase;
import dev.userfabric.domain.port.out.UserCache;
import java.util.Objects;

/**
 * The event flow of 000-user-creation-flows: a UserCreated event stores its user unless the user
 * is stored already. The flow's "get user, insert if it does not exist" is one atomic step of the
 * cache, insert-if-absent: one round trip per event instead of two, and a race between two
 * deliveries for one user cannot store it twice.
 */
public final class StoreCreatedUserService implements StoreCreatedUserUseCase {

  private final UserCache userCache;

  public StoreCreatedUserService(UserCache userCache) {
    this.userCache = Objects.requireNonNull(userCache);
  }

  @Override
  public StoreCreatedUserResult storeCreatedUser(StoreCreatedUserCommand command) {
    User user = command.event().user();

    boolean inserted = userCache.insertIfAbsent(user);
    return inserted ? StoreCreatedUserResult.INSERTED : StoreCreatedUserResult.ALREADY_STORED;
  }
}
