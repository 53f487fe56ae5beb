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
  public void derivesEachIdFromTheNamespaceAloneWhateverCameBefore() throws Exception {
    // Every id starts from a copy of one shared digest: neither an id derived before nor one
    // derived at the same time on another thread may leave anything in it.
    UserId.of(new Identity("https://other.example.test", "someone-else"));
    java.util.List<java.util.concurrent.Future<String>> ids = new java.util.ArrayList<>();
    try (var threads = java.util.concurrent.Executors.newFixedThreadPool(4)) {
      for (int i = 0; i < 200; i++) {
        String subject = i % 2 == 0 ? "ada" : "grace-" + i;
        ids.add(threads.submit(() -> UserId.of(new Identity("https://idp.example.test", subject)).toString()));
      }
      for (int i = 0; i < 200; i += 2) {
        assertEquals("208657b1-8f36-569e-9f53-545b4f95d568", ids.get(i).get());
      }
    }
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
