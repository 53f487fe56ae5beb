package dev.userfabric.domain.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.model.VerifiedAccessToken;
import dev.userfabric.domain.port.out.RevocationList;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link RevocationList} must do; implementations' tests supply the instance. */
public abstract class RevocationListContract {

  /** Tokens must be live for the list to keep them: issued a minute ago, valid for an hour. */
  private static final Instant NOW = Instant.now().minus(Duration.ofMinutes(1));

  protected abstract RevocationList revocations();

  private static Identity freshIdentity() {
    return Users.identity("user-" + UUID.randomUUID());
  }

  private static VerifiedAccessToken token(Identity identity, Instant issuedAt) {
    return Tokens.issuedAt(issuedAt, identity, "jti-" + UUID.randomUUID());
  }

  @Test
  public void aTokenNobodyRevokedIsNotRevoked() {
    assertFalse(revocations().isRevoked(token(freshIdentity(), NOW)));
  }

  @Test
  public void aRevokedTokenIsRevokedAndItsSiblingsAreNot() {
    Identity identity = freshIdentity();
    VerifiedAccessToken revoked = token(identity, NOW);
    VerifiedAccessToken sibling = token(identity, NOW);

    revocations().revoke(revoked);
    revocations().revoke(revoked);

    assertTrue(revocations().isRevoked(revoked));
    assertFalse(revocations().isRevoked(sibling));
  }

  @Test
  public void revokingAUserStopsTokensIssuedBeforeTheCutoffOnly() {
    Identity identity = freshIdentity();
    Instant cutoff = NOW.plusSeconds(10);

    revocations().revokeIssuedBefore(Users.userId(identity), cutoff);

    assertTrue(revocations().isRevoked(token(identity, NOW)));
    assertFalse(revocations().isRevoked(token(identity, cutoff)));
    assertFalse(revocations().isRevoked(token(freshIdentity(), NOW)));
  }

  @Test
  public void anEarlierCutoffNeverUndoesALaterOne() {
    Identity identity = freshIdentity();

    revocations().revokeIssuedBefore(Users.userId(identity), NOW.plusSeconds(20));
    revocations().revokeIssuedBefore(Users.userId(identity), NOW.plusSeconds(5));

    assertTrue(revocations().isRevoked(token(identity, NOW.plusSeconds(10))));
  }
}
