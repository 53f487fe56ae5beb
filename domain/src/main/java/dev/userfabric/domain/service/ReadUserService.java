package dev.userfabric.domain.service;

import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.model.InvalidUserData;
import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.model.UserNotFound;
import dev.userfabric.domain.model.VerifiedAccessToken;
import dev.userfabric.domain.port.in.GetUserCommand;
import dev.userfabric.domain.port.in.ListUsersCommand;
import dev.userfabric.domain.port.in.LookupUserCommand;
import dev.userfabric.domain.port.in.ReadUserUseCase;
import dev.userfabric.domain.port.out.UserCache;
import dev.userfabric.domain.port.out.UserPage;
import dev.userfabric.domain.port.out.UserQuery;
import java.util.Objects;
import java.util.Optional;

/** Check the caller may read, then read the store. Nothing here creates or publishes. */
public final class ReadUserService implements ReadUserUseCase {

  private final AccessControl accessControl;
  private final UserCache userCache;

  public ReadUserService(AccessControl accessControl, UserCache userCache) {
    this.accessControl = Objects.requireNonNull(accessControl);
    this.userCache = Objects.requireNonNull(userCache);
  }

  @Override
  public User getUser(GetUserCommand command) {
    VerifiedAccessToken caller = accessControl.forCaller(command.accessToken());
    UserId id = accessControl.mayActOn(caller, command.userId(), accessControl.policy().readScope());

    return stored(id);
  }

  @Override
  public User lookupUser(LookupUserCommand command) {
    VerifiedAccessToken caller = accessControl.forCaller(command.accessToken());
    accessControl.requireReadScope(caller);

    Identity identity;
    try {
      identity = new Identity(command.issuer(), command.subject());
    } catch (IllegalArgumentException e) {
      throw new InvalidUserData("issuer and subject must be set: " + e.getMessage());
    }
    return stored(UserId.of(identity));
  }

  @Override
  public UserPage listUsers(ListUsersCommand command) {
    VerifiedAccessToken caller = accessControl.forCaller(command.accessToken());
    accessControl.requireReadScope(caller);

    int pageSize = pageSize(command.pageSize());
    Optional<UserId> after;
    try {
      after = command.after().map(UserId::parse);
    } catch (IllegalArgumentException e) {
      throw new InvalidUserData("page_token is not one this service issued");
    }
    return userCache.list(new UserQuery(command.issuer(), after, pageSize));
  }

  private User stored(UserId id) {
    return userCache.resolve(id).activeUser().orElseThrow(() -> new UserNotFound("user " + id + " is not stored"));
  }

  private static int pageSize(int requested) {
    if (requested < 0) {
      throw new InvalidUserData("page_size must not be negative");
    }
    if (requested == 0) {
      return ListUsersCommand.DEFAULT_PAGE_SIZE;
    }
    return Math.min(requested, ListUsersCommand.MAX_PAGE_SIZE); // AIP-158: coerce, do not refuse
  }
}
