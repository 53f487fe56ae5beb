package dev.userfabric.adapter.cache;

import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.port.out.LinkIndex;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The embedded stand-in for the Redis link index: this process's memory, claims expiring as there. */
public final class InProcessLinkIndex implements LinkIndex {

  private record Pending(UserId candidate, Instant until) {}

  private final Map<String, Set<UserId>> owners = new HashMap<>();
  private final Map<String, Pending> claims = new HashMap<>();
  private final Duration claimTtl;
  private final InstantSource clock;

  public InProcessLinkIndex(Duration claimTtl, InstantSource clock) {
    this.claimTtl = claimTtl;
    this.clock = clock;
  }

  @Override
  public synchronized Claim claim(String group, String email, UserId candidate) {
    String key = group + '\0' + email;
    Set<UserId> listed = owners.getOrDefault(key, Set.of());
    if (!listed.isEmpty()) {
      return new Claim.Owners(List.copyOf(listed));
    }
    Instant now = clock.instant();
    Pending pending = claims.get(key);
    if (pending != null && pending.until().isAfter(now)) {
      return new Claim.Pending(pending.candidate());
    }
    claims.put(key, new Pending(candidate, now.plus(claimTtl)));
    return new Claim.Claimed();
  }

  @Override
  public synchronized void index(String group, String email, UserId user) {
    String key = group + '\0' + email;
    owners.computeIfAbsent(key, k -> new TreeSet<>((a, b) -> a.toString().compareTo(b.toString()))).add(user);
    Pending pending = claims.get(key);
    if (pending != null && pending.candidate().equals(user)) {
      claims.remove(key);
    }
  }

  @Override
  public synchronized void unindex(String group, String email, UserId user) {
    Set<UserId> listed = owners.get(group + '\0' + email);
    if (listed != null) {
      listed.remove(user);
    }
  }
}
