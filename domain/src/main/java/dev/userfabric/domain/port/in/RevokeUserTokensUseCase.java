package dev.userfabric.domain.port.in;

import dev.userfabric.domain.model.UserFabricFailure;
import java.time.Instant;

/** Ends every session of a user at once (account compromise, offboarding). */
public interface RevokeUserTokensUseCase {

  /**
   * @return the cutoff: every token of the user issued before it is now refused
   * @throws UserFabricFailure when the administrator's token is refused or lacks the admin scope,
   *     or the revocation cannot be recorded
   */
  Instant revokeUserTokens(RevokeUserTokensCommand command);
}
