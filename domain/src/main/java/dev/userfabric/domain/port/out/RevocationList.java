package dev.userfabric.domain.port.out;

import dev.userfabric.domain.model.RevocationListUnavailable;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.model.VerifiedAccessToken;
import java.time.Instant;

/**
 * Tokens revoked before they expire, shared by every replica. Entries need outlive only the tokens
 * they stop, so an implementation may forget them once those would have expired anyway.
 * Every method fails with {@link RevocationListUnavailable}.
 */
public interface RevocationList {

  /** Whether this token, or every token of its user issued before some moment, was revoked. */
  boolean isRevoked(VerifiedAccessToken token);

  /** Revokes one token until it expires. Revoking it again changes nothing. */
  void revoke(VerifiedAccessToken token);

  /** Revokes every token of the user issued before {@code cutoff}. */
  void revokeIssuedBefore(UserId user, Instant cutoff);
}
