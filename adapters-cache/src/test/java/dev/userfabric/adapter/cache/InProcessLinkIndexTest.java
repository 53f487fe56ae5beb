package dev.userfabric.adapter.cache;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.port.out.LinkIndex;
import dev.userfabric.domain.port.out.LinkIndex.Claim;
import dev.userfabric.domain.testing.LinkIndexContract;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class InProcessLinkIndexTest extends LinkIndexContract {

  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T12:00:00Z"));
  private final InProcessLinkIndex index = new InProcessLinkIndex(Duration.ofSeconds(60), now::get);

  @Override
  protected LinkIndex index() {
    return index;
  }

  @Test
  public void aClaimExpires() {
    UserId lost = UserId.of(new Identity("https://a.example.test", "lost"));
    UserId next = UserId.of(new Identity("https://b.example.test", "next"));
    index.claim("corporate", "ada@example.test", lost);

    now.set(now.get().plusSeconds(61));

    assertInstanceOf(Claim.Claimed.class, index.claim("corporate", "ada@example.test", next));
  }
}
