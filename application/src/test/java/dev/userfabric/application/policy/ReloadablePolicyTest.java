package dev.userfabric.application.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userfabric.domain.policy.PolicyRule;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real file on disk, changed under a running watcher. */
class ReloadablePolicyTest {

  private static final String ISSUER = "https://a.example.test";
  private static final String ONE_RULE = "issuers:\n  https://a.example.test:\n    - {name: v, type: email-verified}\n";
  private static final String TWO_RULES = ONE_RULE + "    - {name: no-root, type: denied-subjects, subjects: [root]}\n";

  @TempDir
  Path directory;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private ReloadablePolicy start(Path file, Duration interval) {
    return new ReloadablePolicy(file, Set.of(ISSUER), interval, registry);
  }

  private static List<String> names(ReloadablePolicy policy) {
    return policy.current().rulesFor(ISSUER).stream().map(PolicyRule::name).toList();
  }

  @Test
  public void aChangedFileIsAppliedWithoutBeingAsked() throws Exception {
    Path file = Files.writeString(directory.resolve("policy.yaml"), ONE_RULE);
    try (ReloadablePolicy policy = start(file, Duration.ofMillis(100))) {
      Files.writeString(file, TWO_RULES);

      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (names(policy).size() < 2) {
        assertTrue(System.nanoTime() < deadline, "the changed file was not read within 10 s");
        Thread.sleep(20);
      }
      assertEquals(List.of("v", "no-root"), names(policy));
      assertEquals(1.0, registry.get("userfabric.policy.reloads").tag("result", "applied").counter().count());
      assertEquals(2.0, registry.get("userfabric.policy.rules").gauge().value());
    }
  }

  @Test
  public void anInvalidFileKeepsThePolicyInForce() throws Exception {
    Path file = Files.writeString(directory.resolve("policy.yaml"), ONE_RULE);
    try (ReloadablePolicy policy = start(file, Duration.ofHours(1))) {
      Files.writeString(file, ONE_RULE + "    - {name: bad, type: no-such-type}\n");

      assertFalse(policy.reload(true));
      assertEquals(List.of("v"), names(policy));
      assertEquals(1.0, registry.get("userfabric.policy.reloads").tag("result", "invalid").counter().count());

      Files.delete(file);
      assertFalse(policy.reload(true));
      assertEquals(List.of("v"), names(policy), "a missing file keeps the policy too");

      Files.writeString(file, TWO_RULES);
      assertTrue(policy.reload(true));
      assertEquals(List.of("v", "no-root"), names(policy));
    }
  }

  @Test
  public void anUnchangedFileIsNotAppliedAgain() throws Exception {
    Path file = Files.writeString(directory.resolve("policy.yaml"), ONE_RULE);
    try (ReloadablePolicy policy = start(file, Duration.ofHours(1))) {
      assertFalse(policy.reload(true));
      assertEquals(0.0, registry.get("userfabric.policy.reloads").tag("result", "applied").counter().count());
    }
  }

  @Test
  public void anInvalidFileStopsTheStart() throws Exception {
    Path file = Files.writeString(directory.resolve("policy.yaml"), "issuers:\n  https://c.example.test: []\n");

    InvalidPolicy refused = assertThrows(InvalidPolicy.class, () -> start(file, Duration.ofHours(1)));

    assertEquals("policy file " + file + ": issuer https://c.example.test is not a trusted issuer (trusted: ["
        + ISSUER + "])", refused.getMessage());
    assertThrows(InvalidPolicy.class, () -> start(directory.resolve("missing.yaml"), Duration.ofHours(1)));
  }
}
