package dev.userfabric.domain.port.in;

import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserFabricFailure;
import dev.userfabric.domain.port.out.UserPage;

/**
 * Reads stored users; never creates one. A caller may read their own user; any other needs the
 * read scope.
 *
 * @throws UserFabricFailure {@code UserNotFound} when no user is stored, or when the token is
 *     refused or a dependency fails
 */
public interface ReadUserUseCase {

  User getUser(GetUserCommand command);

  User lookupUser(LookupUserCommand command);

  UserPage listUsers(ListUsersCommand command);
}
