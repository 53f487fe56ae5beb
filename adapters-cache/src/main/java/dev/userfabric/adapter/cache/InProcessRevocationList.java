package dev.userfabric.adapter.cache;

import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.model.VerifiedAccessToken;
import dev.userfabric.domain.port.out.RevocationList;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The revocation list of the embedded mode: in this process only, so it is right only for a
 * single replica. Entries are dropped once the tokens they stop have expired.
 */
public final class InProcessRevocationList implements RevocationList {

  private final Map<String, Instant> revokedUntil = new ConcurrentHashMap<>();
  private final Map<UserId, Instant> cutoffs = new ConcurrentHashMap<>();

  @Override
  public boolean isRevoked(VerifiedAccessToken token) {
    Instant cutoff = cutoffs.get(token.userId());
    return revokedUntil.containsKey(key(token)) || (cutoff != null && token.issuedAt().isBefore(cutoff));
  }

  @Override
  public void revoke(VerifiedAccessToken token) {
    Instant now = Instant.now();
    revokedUntil.values().removeIf(until -> until.isBefore(now));
    revokedUntil.put(key(token), token.expiresAt().plus(RedisRevocationList.SKEW_MARGIN));
  }

  @Override
  public void revokeIssuedBefore(UserId user, Instant cutoff) {
    cutoffs.merge(user, cutoff, (old, proposed) -> proposed.isAfter(old) ? proposed : old);
  }

  private static String key(VerifiedAccessToken token) {
    return token.identity().issuer() + "\0" + token.tokenId();
  }
}
