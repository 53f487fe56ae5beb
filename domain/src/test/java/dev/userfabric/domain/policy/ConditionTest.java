package dev.userfabric.domain.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.userfabric.domain.model.Claims;
import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.model.UserProfile;
import dev.userfabric.domain.model.VerifiedAccessToken;
import dev.userfabric.domain.model.VerifiedAccessToken.Bearer;
import dev.userfabric.domain.policy.Condition.AllowedEmailDomains;
import dev.userfabric.domain.policy.Condition.ClaimContains;
import dev.userfabric.domain.policy.Condition.ClaimEquals;
import dev.userfabric.domain.policy.Condition.ClaimMatches;
import dev.userfabric.domain.policy.Condition.DeniedEmails;
import dev.userfabric.domain.policy.Condition.DeniedSubjects;
import dev.userfabric.domain.policy.Condition.EmailVerified;
import dev.userfabric.domain.policy.Condition.RequiredScopes;
import dev.userfabric.domain.testing.Tokens;
import dev.userfabric.domain.testing.Users;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ConditionTest {

  private static final Identity ADA = Users.identity("ada");

  private static Applicant applicant(String email, boolean verified, Map<String, Object> claims, String... scopes) {
    VerifiedAccessToken token = new VerifiedAccessToken(ADA, "t-1", Tokens.ISSUED_AT, Tokens.EXPIRES_AT,
        Set.of(scopes), Bearer.PERSON, UserProfile.EMPTY, Claims.of(claims));
    return new Applicant(token, UserProfile.builder().email(email).emailVerified(verified).build(), false);
  }

  private static Applicant withEmail(String email) {
    return applicant(email, true, Map.of());
  }

  private static Applicant withClaims(Map<String, Object> claims) {
    return applicant("ada@example.com", true, claims);
  }

  @Test
  public void allowedEmailDomainsMatchTheDomainWithoutRegardToCase() {
    AllowedEmailDomains rule = new AllowedEmailDomains(Set.of("Example.com"));

    assertEquals(Optional.empty(), rule.failure(withEmail("ada@EXAMPLE.com")));
    assertEquals(Optional.of("email domain example.org is not allowed"), rule.failure(withEmail("ada@example.org")));
    assertEquals(Optional.of("email domain mail.example.com is not allowed"),
        rule.failure(withEmail("ada@mail.example.com")));
    assertEquals(Optional.of("the profile has no email"), rule.failure(withEmail(null)));
  }

  @Test
  public void aWildcardDomainAllowsSubdomainsOnly() {
    AllowedEmailDomains rule = new AllowedEmailDomains(Set.of("*.example.com"));

    assertEquals(Optional.empty(), rule.failure(withEmail("ada@mail.example.com")));
    assertEquals(Optional.of("email domain example.com is not allowed"), rule.failure(withEmail("ada@example.com")));
    // A suffix is not a subdomain.
    assertEquals(Optional.of("email domain badexample.com is not allowed"),
        rule.failure(withEmail("ada@badexample.com")));
  }

  @Test
  public void theLastAtSignStartsTheDomain() {
    AllowedEmailDomains rule = new AllowedEmailDomains(Set.of("example.com"));

    assertEquals(Optional.of("email domain evil.test is not allowed"),
        rule.failure(withEmail("\"ada@example.com\"@evil.test")));
  }

  @Test
  public void emailVerifiedNeedsAnEmailAndTheFlag() {
    EmailVerified rule = new EmailVerified();

    assertEquals(Optional.empty(), rule.failure(applicant("ada@example.com", true, Map.of())));
    assertEquals(Optional.of("the email is not verified"), rule.failure(applicant("ada@example.com", false, Map.of())));
    assertEquals(Optional.of("the profile has no email"), rule.failure(applicant(null, true, Map.of())));
  }

  @Test
  public void claimEqualsTakesOneValueOfAnyJsonScalar() {
    assertEquals(Optional.empty(), new ClaimEquals("tenant", Set.of("acme", "globex"))
        .failure(withClaims(Map.of("tenant", "acme"))));
    assertEquals(Optional.empty(), new ClaimEquals("level", Set.of("3")).failure(withClaims(Map.of("level", 3))));
    assertEquals(Optional.empty(), new ClaimEquals("staff", Set.of("true")).failure(withClaims(Map.of("staff", true))));
    assertEquals(Optional.of("claim tenant is not one of [acme, globex]"),
        new ClaimEquals("tenant", Set.of("acme", "globex")).failure(withClaims(Map.of("tenant", "initech"))));
    assertEquals(Optional.of("claim tenant is missing"),
        new ClaimEquals("tenant", Set.of("acme")).failure(withClaims(Map.of())));
    assertEquals(Optional.of("claim tenant holds a list, not one value"),
        new ClaimEquals("tenant", Set.of("acme")).failure(withClaims(Map.of("tenant", List.of("acme", "x")))));
  }

  @Test
  public void claimContainsLooksForAnyValueInAList() {
    ClaimContains rule = new ClaimContains("groups", Set.of("staff", "admins"));

    assertEquals(Optional.empty(), rule.failure(withClaims(Map.of("groups", List.of("users", "admins")))));
    assertEquals(Optional.empty(), rule.failure(withClaims(Map.of("groups", "staff")))); // one group as a string
    assertEquals(Optional.of("claim groups holds none of [admins, staff]"),
        rule.failure(withClaims(Map.of("groups", List.of("users")))));
    assertEquals(Optional.of("claim groups holds none of [admins, staff]"),
        rule.failure(withClaims(Map.of("groups", List.of()))));
    assertEquals(Optional.of("claim groups is missing"), rule.failure(withClaims(Map.of())));
  }

  @Test
  public void aClaimPathReachesIntoObjects() {
    ClaimContains rule = new ClaimContains("realm_access.roles", Set.of("user"));

    assertEquals(Optional.empty(),
        rule.failure(withClaims(Map.of("realm_access", Map.of("roles", List.of("offline", "user"))))));
    assertEquals(Optional.of("claim realm_access.roles is missing"),
        rule.failure(withClaims(Map.of("realm_access", Map.of("groups", List.of("user"))))));
    // A claim whose own name holds dots (namespaced claims) is found by that name.
    assertEquals(Optional.empty(), new ClaimContains("https://example.com/roles", Set.of("user"))
        .failure(withClaims(Map.of("https://example.com/roles", List.of("user")))));
  }

  @Test
  public void claimMatchesNeedsTheWholeValueToMatch() {
    ClaimMatches rule = new ClaimMatches("tenant", Pattern.compile("acme-[0-9]+"));

    assertEquals(Optional.empty(), rule.failure(withClaims(Map.of("tenant", "acme-42"))));
    assertEquals(Optional.of("claim tenant does not match acme-[0-9]+"),
        rule.failure(withClaims(Map.of("tenant", "acme-42-evil"))));
    assertEquals(Optional.empty(), rule.failure(withClaims(Map.of("tenant", List.of("x", "acme-7")))));
    assertEquals(Optional.of("claim tenant is missing"), rule.failure(withClaims(Map.of())));
  }

  @Test
  public void claimsTheTokenLacksAreReadFromTheProfile() {
    ClaimEquals rule = new ClaimEquals("email_verified", Set.of("true"));

    assertEquals(Optional.empty(), rule.failure(applicant("ada@example.com", true, Map.of())));
    assertEquals(Optional.of("claim email_verified is not one of [true]"),
        rule.failure(applicant("ada@example.com", false, Map.of())));
  }

  @Test
  public void requiredScopesNeedsEveryScope() {
    RequiredScopes rule = new RequiredScopes(Set.of("profile", "userfabric"));

    assertEquals(Optional.empty(), rule.failure(applicant("a@b.c", true, Map.of(), "profile", "userfabric", "x")));
    assertEquals(Optional.of("the token lacks scope [userfabric]"),
        rule.failure(applicant("a@b.c", true, Map.of(), "profile")));
  }

  @Test
  public void deniedSubjectsAndEmailsRefuseExactlyThose() {
    assertEquals(Optional.of("the subject is denied"),
        new DeniedSubjects(Set.of("ada")).failure(withEmail("ada@example.com")));
    assertEquals(Optional.empty(), new DeniedSubjects(Set.of("Ada")).failure(withEmail("ada@example.com")));
    assertEquals(Optional.of("the email is denied"),
        new DeniedEmails(Set.of("Ada@Example.com")).failure(withEmail("ada@example.COM")));
    assertEquals(Optional.empty(), new DeniedEmails(Set.of("ada@example.com")).failure(withEmail(null)));
  }

  @Test
  public void conditionsRefuseToBeEmpty() {
    assertThrows(IllegalArgumentException.class, () -> new AllowedEmailDomains(Set.of()));
    assertThrows(IllegalArgumentException.class, () -> new ClaimContains("groups", Set.of()));
    assertThrows(IllegalArgumentException.class, () -> new ClaimEquals(" ", Set.of("x")));
  }
}
