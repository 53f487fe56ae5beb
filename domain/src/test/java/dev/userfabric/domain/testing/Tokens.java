package dev.userfabric.domain.testing;

import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.model.UserProfile;
import dev.userfabric.domain.model.VerifiedAccessToken;
import dev.userfabric.domain.model.VerifiedAccessToken.Bearer;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/** Sample verified tokens for tests. */
public final class Tokens {

  public static final Instant ISSUED_AT = Instant.parse("2026-11-21T07:55:00Z");
  public static final Instant EXPIRES_AT = ISSUED_AT.plus(Duration.ofHours(1));

  private Tokens() {}

  public static VerifiedAccessToken personal(Identity identity, String tokenId, String... scopes) {
    return new VerifiedAccessToken(identity, tokenId, ISSUED_AT, EXPIRES_AT, Set.of(scopes),
        Bearer.PERSON, UserProfile.EMPTY);
  }

  public static VerifiedAccessToken client(Identity identity, String tokenId, String... scopes) {
    return new VerifiedAccessToken(identity, tokenId, ISSUED_AT, EXPIRES_AT, Set.of(scopes),
        Bearer.CLIENT, UserProfile.EMPTY);
  }

  public static VerifiedAccessToken issuedAt(Instant issuedAt, Identity identity, String tokenId) {
    return new VerifiedAccessToken(identity, tokenId, issuedAt, issuedAt.plus(Duration.ofHours(1)),
        Set.of(), Bearer.PERSON, UserProfile.EMPTY);
  }
}
