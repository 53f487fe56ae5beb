package dev.userfabric.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import dev.userfabric.domain.port.in.CreateUserCommand;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ValuesTest {

  @Test
  public void neverPrintsTheAccessToken() {
    AccessToken token = new AccessToken("eyJhbGciOiJSUzI1NiJ9.secret.sig");

    assertFalse(token.toString().contains("secret"));
    assertFalse(new CreateUserCommand(token).toString()
        .contains("secret"));
  }

  @Test
  public void refusesABlankSubjectNamingTheField() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> new Identity("https://idp.example.test", " "));
    assertEquals("subject must not be blank", error.getMessage());
  }

  @Test
  public void refusesControlCharactersInAnIdentity() {
    assertThrows(IllegalArgumentException.class,
        () -> new Identity("https://idp.example.test", "ada\u0000eve"));
  }

  @Test
  public void refusesAUserWhoseIdIsNotDerivedFromItsIdentity() {
    Identity ada = new Identity("https://idp.example.test", "ada");
    UserId evesId = UserId.of(new Identity("https://idp.example.test", "eve"));

    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> new User(evesId, ada, UserProfile.EMPTY, Instant.EPOCH));
    assertEquals("id must be derived from the identity", error.getMessage());
  }

  @Test
  public void treatsABlankClaimAsAbsent() {
    assertEquals(Optional.empty(), UserProfile.builder().email("  ").build().email());
  }

  @Test
  public void refusesAnOversizedClaimNamingIt() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> UserProfile.builder().name("x".repeat(5000)).build());
    assertEquals("name must be at most 2048 characters", error.getMessage());
  }
}
