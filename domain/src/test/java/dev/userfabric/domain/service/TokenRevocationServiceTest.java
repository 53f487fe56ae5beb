package dev.userfabric.domain.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userfabric.domain.model.AccessDenied;
import dev.userfabric.domain.model.AccessToken;
import dev.userfabric.domain.model.InvalidUserData;
import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.model.InvalidAccessToken;
import dev.userfabric.domain.model.VerifiedAccessToken;
import dev.userfabric.domain.port.in.RevokeUserTokensCommand;
import dev.userfabric.domain.testing.FixedAccessTokenVerifier;
import dev.userfabric.domain.testing.InMemoryRevocationList;
import dev.userfabric.domain.testing.Tokens;
import dev.userfabric.domain.testing.Users;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokenRevocationServiceTest {

  private static final Instant NOW = Tokens.ISSUED_AT.plusSeconds(60);
  private static final Identity ADA = Users.identity("ada");
  private static final VerifiedAccessToken ADAS_TOKEN = Tokens.personal(ADA, "ada-jti");
  private static final VerifiedAccessToken ADAS_OTHER_TOKEN = Tokens.personal(ADA, "ada-jti-2");
  private static final VerifiedAccessToken ADAS_NEXT_TOKEN = Tokens.issuedAt(NOW.plusSeconds(1), ADA, "ada-jti-3");
  private static final VerifiedAccessToken ADMIN = Tokens.personal(Users.identity("root"), "root-jti", "userfabric:admin");

  private final FixedAccessTokenVerifier verifier = new FixedAccessTokenVerifier()
      .accept("ada", ADAS_TOKEN)
      .accept("admin", ADMIN);
  private final InMemoryRevocationList revocations = new InMemoryRevocationList();
  private final AccessControl accessControl =
      new AccessControl(verifier, revocations, new AccessPolicy(Optional.empty(), "userfabric:admin"));
  private final TokenRevocationService service =
      new TokenRevocationService(accessControl, revocations, InstantSource.fixed(NOW));

  @Test
  public void logoutRevokesThePresentedTokenOnly() {
    assertEquals(ADAS_TOKEN, service.revokeAccessToken(new AccessToken("ada")));

    assertTrue(revocations.isRevoked(ADAS_TOKEN));
    assertFalse(revocations.isRevoked(ADAS_OTHER_TOKEN));
  }

  @Test
  public void loggingOutTwiceIsNotAnError() {
    service.revokeAccessToken(new AccessToken("ada"));

    assertEquals(ADAS_TOKEN, service.revokeAccessToken(new AccessToken("ada")));
  }

  @Test
  public void aForgedTokenCannotBeRevoked() {
    assertThrows(InvalidAccessToken.class, () -> service.revokeAccessToken(new AccessToken("forged")));
  }

  @Test
  public void anAdministratorRevokesEveryTokenTheUserHoldsNow() {
    Instant cutoff = service.revokeUserTokens(
        new RevokeUserTokensCommand(new AccessToken("admin"), Users.userId(ADA).toString()));

    assertEquals(NOW, cutoff);
    assertTrue(revocations.isRevoked(ADAS_TOKEN));
    assertTrue(revocations.isRevoked(ADAS_OTHER_TOKEN));
    assertFalse(revocations.isRevoked(ADAS_NEXT_TOKEN));
  }

  @Test
  public void aUserCannotRevokeAnothersTokens() {
    AccessDenied denied = assertThrows(AccessDenied.class, () -> service.revokeUserTokens(
        new RevokeUserTokensCommand(new AccessToken("ada"), Users.userId(Users.identity("bob")).toString())));

    assertEquals(AccessDenied.Reason.INSUFFICIENT_SCOPE, denied.reason());
  }

  @Test
  public void aStrangerIsRefusedBeforeTheUserIdIsEvenRead() {
    AccessDenied denied = assertThrows(AccessDenied.class, () -> service.revokeUserTokens(
        new RevokeUserTokensCommand(new AccessToken("ada"), "not-an-id")));

    assertEquals(AccessDenied.Reason.INSUFFICIENT_SCOPE, denied.reason());
  }

  @Test
  public void anAdministratorIsToldAMalformedUserId() {
    assertThrows(InvalidUserData.class, () -> service.revokeUserTokens(
        new RevokeUserTokensCommand(new AccessToken("admin"), "not-an-id")));
  }
}
