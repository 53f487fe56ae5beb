package dev.userfabric.domain.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.userfabric.domain.model.AccessDenied;
import dev.userfabric.domain.model.AccessToken;
import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.model.InvalidAccessToken;
import dev.userfabric.domain.model.RevocationListUnavailable;
import dev.userfabric.domain.model.VerifiedAccessToken;
import dev.userfabric.domain.testing.FixedAccessTokenVerifier;
import dev.userfabric.domain.testing.InMemoryRevocationList;
import dev.userfabric.domain.testing.Tokens;
import dev.userfabric.domain.testing.Users;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AccessControlTest {

  private static final Identity ADA = Users.identity("ada");
  private static final Identity BATCH_CLIENT = Users.identity("batch-client");
  private static final VerifiedAccessToken ADA_WITH_SCOPE = Tokens.personal(ADA, "t1", "openid", "users:create");
  private static final VerifiedAccessToken ADA_WITHOUT_SCOPE = Tokens.personal(ADA, "t2", "openid");
  private static final VerifiedAccessToken CLIENT_TOKEN = Tokens.client(BATCH_CLIENT, "t3", "users:create");
  private static final VerifiedAccessToken ADMIN_CLIENT = Tokens.client(BATCH_CLIENT, "t4", "userfabric:admin");

  private final FixedAccessTokenVerifier verifier = new FixedAccessTokenVerifier()
      .accept("with-scope", ADA_WITH_SCOPE)
      .accept("without-scope", ADA_WITHOUT_SCOPE)
      .accept("client", CLIENT_TOKEN)
      .accept("admin-client", ADMIN_CLIENT);
  private final InMemoryRevocationList revocations = new InMemoryRevocationList();
  private final AccessControl accessControl = new AccessControl(
      verifier, revocations, new AccessPolicy(Optional.of("users:create"), "userfabric:admin"));

  @Test
  public void letsAPersonWithTheRequiredScopeCreateTheirUser() {
    assertEquals(ADA_WITH_SCOPE, accessControl.forUser(new AccessToken("with-scope")));
    assertEquals(1, revocations.lookups());
  }

  @Test
  public void refusesAPersonWithoutTheRequiredScopeBeforeAnyLookup() {
    AccessDenied denied = assertThrows(AccessDenied.class,
        () -> accessControl.forUser(new AccessToken("without-scope")));

    assertEquals(AccessDenied.Reason.INSUFFICIENT_SCOPE, denied.reason());
    assertEquals(0, revocations.lookups());
  }

  @Test
  public void refusesAClientTokenEvenWithTheScope() {
    AccessDenied denied = assertThrows(AccessDenied.class,
        () -> accessControl.forUser(new AccessToken("client")));

    assertEquals(AccessDenied.Reason.NOT_A_USER_TOKEN, denied.reason());
    assertEquals(0, revocations.lookups());
  }

  @Test
  public void anyUserTokenWillDoWhenNoScopeIsRequired() {
    AccessControl lenient = new AccessControl(
        verifier, revocations, new AccessPolicy(Optional.of(" "), "userfabric:admin"));

    assertEquals(ADA_WITHOUT_SCOPE, lenient.forUser(new AccessToken("without-scope")));
  }

  @Test
  public void refusesARevokedToken() {
    revocations.revoke(ADA_WITH_SCOPE);

    InvalidAccessToken refused = assertThrows(InvalidAccessToken.class,
        () -> accessControl.forUser(new AccessToken("with-scope")));

    assertEquals(InvalidAccessToken.Reason.REVOKED, refused.reason());
  }

  @Test
  public void failsClosedWhenTheRevocationListIsDown() {
    revocations.goDown();

    assertThrows(RevocationListUnavailable.class, () -> accessControl.forUser(new AccessToken("with-scope")));
  }

  @Test
  public void administratorsNeedTheAdminScopeAndMayBeClients() {
    assertEquals(ADMIN_CLIENT, accessControl.forAdministrator(new AccessToken("admin-client")));

    AccessDenied denied = assertThrows(AccessDenied.class,
        () -> accessControl.forAdministrator(new AccessToken("with-scope")));
    assertEquals(AccessDenied.Reason.INSUFFICIENT_SCOPE, denied.reason());
  }

  @Test
  public void aHolderMayPresentARevokedTokenToGiveItUp() {
    revocations.revoke(ADA_WITH_SCOPE);

    assertEquals(ADA_WITH_SCOPE, accessControl.forHolder(new AccessToken("with-scope")));
  }
}
