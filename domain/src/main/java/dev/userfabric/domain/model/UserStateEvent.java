package dev.userfabric.domain.model;

/** An event that carries the user's whole new state (every kind but an erasure). */
public sealed interface UserStateEvent extends UserEvent permits UserCreated, UserUpdated, IdentityLinked, IdentityUnlinked {

  User user();

  @Override
  default UserId userId() {
    return user().id();
  }

  @Override
  default long version() {
    return user().version();
  }
}
