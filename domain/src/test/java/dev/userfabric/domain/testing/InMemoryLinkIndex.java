package dev.userfabric.domain.testing;

import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.port.out.LinkIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/** The link index in maps, for tests; claims never expire unless a test says so. */
public final class InMemoryLinkIndex implements LinkIndex {

  private final Map<String, Set<String>> owners = new ConcurrentHashMap<>();
  private final Map<String, UserId> claims = new ConcurrentHashMap<>();

  @Override
  public synchronized Claim claim(String group, String email, UserId candidate) {
    Set<String> listed = owners.getOrDefault(key(group, email), Set.of());
    if (!listed.isEmpty()) {
      List<UserId> ids = new ArrayList<>();
      listed.forEach(id -> ids.add(UserId.parse(id)));
      return new Claim.Owners(ids);
    }
    UserId pending = claims.putIfAbsent(key(group, email), candidate);
    return pending == null ? new Claim.Claimed() : new Claim.Pending(pending);
  }

  @Override
  public synchronized void index(String group, String email, UserId user) {
    owners.computeIfAbsent(key(group, email), key -> new TreeSet<>()).add(user.toString());
    claims.remove(key(group, email), user);
  }

  @Override
  public synchronized void unindex(String group, String email, UserId user) {
    Set<String> listed = owners.get(key(group, email));
    if (listed != null) {
      listed.remove(user.toString());
    }
  }

  /** As if the claim's time ran out. */
  public void expireClaims() {
    claims.clear();
  }

  public Set<String> owners(String group, String email) {
    return Set.copyOf(owners.getOrDefault(key(group, email), Set.of()));
  }

  private static String key(String group, String email) {
    return group + "\n" + email;
  }
}
