package dev.userfabric.domain.testing;

import dev.userfabric.domain.model.RevocationListUnavailable;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.model.VerifiedAccessToken;
import dev.userfabric.domain.port.out.RevocationList;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A revocation list in a map, with a switch to take it down; counts lookups. */
public final class InMemoryRevocationList extends Switch implements RevocationList {

  private final Set<String> revokedTokenIds = ConcurrentHashMap.newKeySet();
  private final Map<UserId, Instant> cutoffs = new ConcurrentHashMap<>();
  private final AtomicInteger lookups = new AtomicInteger();

  @Override
  public boolean isRevoked(VerifiedAccessToken token) {
    lookups.incrementAndGet();
    failIfDown();
    Instant cutoff = cutoffs.get(token.userId());
    return revokedTokenIds.contains(token.tokenId())
        || (cutoff != null && token.issuedAt().isBefore(cutoff));
  }

  @Override
  public void revoke(VerifiedAccessToken token) {
    failIfDown();
    revokedTokenIds.add(token.tokenId());
  }

  @Override
  public void revokeIssuedBefore(UserId user, Instant cutoff) {
    failIfDown();
    cutoffs.merge(user, cutoff, (old, proposed) -> proposed.isAfter(old) ? proposed : old);
  }

  public int lookups() {
    return lookups.get();
  }

  private void failIfDown() {
    if (isDown()) {
      throw new RevocationListUnavailable("revocation list is down (test)", null);
    }
  }
}
