package dev.userfabric.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class UserIdTest {

  @Test
  public void isAVersion5UuidOfIssuerAndSubject() {
    // Cross-checked with Python: uuid.uuid5(NAMESPACE, "https://idp.example.test\x00ada")
    UserId id = UserId.of(new Identity("https://idp.example.test", "ada"));

    assertEquals("208657b1-8f36-569e-9f53-545b4f95d568", id.toString());
    assertEquals(5, id.value().version());
  }

  @Test
  public void isScopedToTheIssuer() {
    assertNotEquals(
        UserId.of(new Identity("https://a.example.test", "ada")),
        UserId.of(new Identity("https://b.example.test", "ada")));
  }

  @Test
  public void doesNotConfuseWhereIssuerEndsAndSubjectBegins() {
    assertNotEquals(
        UserId.of(new Identity("https://a.example.test/x", "y")),
        UserId.of(new Identity("https://a.example.test/", "xy")));
  }

  @Test
  public void parsesItsOwnTextForm() {
    UserId id = UserId.of(new Identity("https://idp.example.test", "ada"));

    assertEquals(id, UserId.parse(id.toString()));
  }

  @Test
  public void refusesTextThatIsNotACanonicalUuid() {
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> UserId.parse("1-2-3-4-5"));
    assertEquals("id must be a canonical UUID", error.getMessage());
  }
}
