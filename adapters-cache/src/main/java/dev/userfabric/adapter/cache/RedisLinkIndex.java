package dev.userfabric.adapter.cache;

import dev.userfabric.domain.model.CacheUnavailable;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.port.out.LinkIndex;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.List;

/**
 * The link index in Redis: per (group, email) a set of the stored users' ids and a pending claim
 * with an expiry, in one hash slot. The claim script is the serialisation point of concurrent first
 * logins of one person: whichever runs first holds the email until its user is stored (the driver
 * then lists it and ends the claim) or the claim expires (its publish failed).
 */
public final class RedisLinkIndex implements LinkIndex {

  // KEYS: owners, claim. ARGV: candidate, claim time-to-live (ms).
  // Answers {"owners", id...}, {"pending", id} or {"claimed"}.
  private static final String CLAIM = """
      local owners = redis.call('SMEMBERS', KEYS[1])
      if #owners > 0 then
        table.insert(owners, 1, 'owners')
        return owners
      end
      local pending = redis.call('GET', KEYS[2])
      if pending then return {'pending', pending} end
      redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
      return {'claimed'}
      """;

  // KEYS: owners, claim. ARGV: the stored user.
  private static final String INDEX = """
      redis.call('SADD', KEYS[1], ARGV[1])
      if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
      return 1
      """;

  /** Longer than a backlogged driver takes to store a new user; a failed publish blocks no longer. */
  public static final Duration DEFAULT_CLAIM_TTL = Duration.ofSeconds(60);

  private final RedisConnector connector;
  private final CacheKeys keys;
  private final Duration claimTtl;

  public RedisLinkIndex(RedisConnector connector, String keyPrefix, Duration claimTtl) {
    if (claimTtl.isNegative() || claimTtl.isZero()) {
      throw new IllegalArgumentException("the claim's time-to-live must be positive");
    }
    this.connector = connector;
    this.keys = new CacheKeys(keyPrefix);
    this.claimTtl = claimTtl;
  }

  @Override
  public Claim claim(String group, String email, UserId candidate) {
    String[] scriptKeys = {keys.linkOwners(group, email), keys.linkClaim(group, email)};
    List<Object> reply = connector.call(commands -> commands.<List<Object>>eval(CLAIM, ScriptOutputType.MULTI,
            scriptKeys, candidate.toString(), Long.toString(claimTtl.toMillis())),
        e -> new CacheUnavailable("redis link claim failed", e));
    String kind = (String) reply.getFirst();
    return switch (kind) {
      case "owners" -> new Claim.Owners(reply.subList(1, reply.size()).stream()
          .map(id -> UserId.parse((String) id)).toList());
      case "pending" -> new Claim.Pending(UserId.parse((String) reply.get(1)));
      case "claimed" -> new Claim.Claimed();
      default -> throw new IllegalStateException("unexpected claim answer " + kind);
    };
  }

  @Override
  public void index(String group, String email, UserId user) {
    String[] scriptKeys = {keys.linkOwners(group, email), keys.linkClaim(group, email)};
    connector.callReplicated(scriptKeys[0], commands -> commands.<Long>eval(INDEX, ScriptOutputType.INTEGER,
        scriptKeys, user.toString()), e -> new CacheUnavailable("redis link index failed", e));
  }

  @Override
  public void unindex(String group, String email, UserId user) {
    connector.call(commands -> commands.srem(keys.linkOwners(group, email), user.toString()),
        e -> new CacheUnavailable("redis link index failed", e));
  }
}
