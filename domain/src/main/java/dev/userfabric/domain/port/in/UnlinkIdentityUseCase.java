package dev.userfabric.domain.port.in;

import dev.userfabric.domain.model.User;

/** Undoes an identity link. */
public interface UnlinkIdentityUseCase {

  /** Publishes IdentityUnlinked and answers the user's new state, once the broker confirmed it. */
  User unlinkIdentity(UnlinkIdentityCommand command);
}
