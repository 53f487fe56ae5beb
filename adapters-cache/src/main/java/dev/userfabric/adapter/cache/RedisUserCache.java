package dev.userfabric.adapter.cache;

import dev.userfabric.domain.model.CacheUnavailable;
import dev.userfabric.domain.model.CorruptUserRecord;
import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.model.IdentityLinked;
import dev.userfabric.domain.model.IdentityUnlinked;
import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserDeleted;
import dev.userfabric.domain.model.UserStateEvent;
import dev.userfabric.domain.model.UserEvent;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.model.UserRecord;
import dev.userfabric.domain.port.out.UserCache;
import dev.userfabric.domain.port.out.UserPage;
import dev.userfabric.domain.port.out.UserQuery;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The user store in Redis: one hash per user (or per tombstone), and per shard a sorted set of
 * the stored users' ids, and one per issuer, for listing (see {@link CacheKeys}). Applying an
 * event compares its revision with the stored one and writes the record and the index entries in
 * one script, so no reader ever sees a half-applied event and no two racing events can both win.
 */
public final class RedisUserCache implements UserCache, AutoCloseable {

  // KEYS: the record, the shard's index, the shard's index of the user's issuer.
  // ARGV: version, kind, event id, user id, "1" for a tombstone ("2" for an identity's link,
  // "0" for a user), the tombstone's retention in ms, then the
  // record's fields and values. Versions are below 2^53, exact as Lua numbers.
  private static final String APPLY = """
      local stored = redis.call('HMGET', KEYS[1], 'version', 'kind', 'event_id')
      if stored[1] then
        local version, incoming = tonumber(stored[1]), tonumber(ARGV[1])
        if incoming < version then return 0 end
        if incoming == version then
          local kind, incomingKind = tonumber(stored[2]), tonumber(ARGV[2])
          if incomingKind < kind then return 0 end
          if incomingKind == kind and ARGV[3] <= stored[3] then return 0 end
        end
      end
      redis.call('DEL', KEYS[1])
      redis.call('HSET', KEYS[1], unpack(ARGV, 7))
      if ARGV[5] == '1' then
        redis.call('PEXPIRE', KEYS[1], ARGV[6])
        redis.call('ZREM', KEYS[2], ARGV[4])
        redis.call('ZREM', KEYS[3], ARGV[4])
      elseif ARGV[5] == '2' then
        redis.call('ZREM', KEYS[2], ARGV[4])
        redis.call('ZREM', KEYS[3], ARGV[4])
      else
        redis.call('ZADD', KEYS[2], 0, ARGV[4])
        redis.call('ZADD', KEYS[3], 0, ARGV[4])
      end
      return 1
      """;
  private static final String APPLY_SHA = sha1(APPLY);

  /**
   * A page reads one shard first, then twice as many per round trip up to this: a dense listing
   * is served by a shard or two, a sparse one (an issuer's few users) crosses every shard in a
   * handful of round trips.
   */
  private static final int MAX_SHARDS_PER_ROUND_TRIP = 32;

  /** How long a tombstone is kept when none is configured. */
  public static final Duration DEFAULT_TOMBSTONE_RETENTION = Duration.ofDays(30);

  private final RedisConnector connector;
  private final boolean ownsConnector;
  private final CacheKeys keys;
  private final Duration tombstoneRetention;

  /**
   * @param settings where Redis is and how long to wait for it; the connection is opened on first
   *     use and re-established by Lettuce, so the service starts while Redis is still down
   */
  public RedisUserCache(RedisCacheSettings settings) {
    this(new RedisConnector(settings), settings.keyPrefix(), DEFAULT_TOMBSTONE_RETENTION, true);
  }

  /**
   * On a connection shared with the other Redis adapters; closing this leaves it open.
   *
   * @param tombstoneRetention how long an erased user's tombstone is kept: an event older than
   *     the erasure that arrives later than this would bring the user back
   */
  public RedisUserCache(RedisConnector connector, String keyPrefix, Duration tombstoneRetention) {
    this(connector, keyPrefix, tombstoneRetention, false);
  }

  private RedisUserCache(RedisConnector connector, String keyPrefix, Duration tombstoneRetention,
      boolean ownsConnector) {
    if (tombstoneRetention.isNegative() || tombstoneRetention.isZero()) {
      throw new IllegalArgumentException("tombstone retention must be positive");
    }
    this.connector = connector;
    this.ownsConnector = ownsConnector;
    this.keys = new CacheKeys(keyPrefix);
    this.tombstoneRetention = tombstoneRetention;
  }

  @Override
  public UserRecord read(UserId id) {
    return decode(id, call("read", commands -> commands.hgetall(keys.user(id))));
  }

  @Override
  public boolean apply(UserEvent event) {
    UserRecord record = UserRecord.of(event);
    // A tombstone names no issuer; its user's issuer index is found through the identity, which
    // every event carries.
    String issuer = switch (event) {
      case UserStateEvent withState -> withState.user().identity().issuer();
      case UserDeleted deleted -> deleted.identity().issuer();
    };
    boolean applied = write(event, event.userId(), record, issuer);
    // The identity's own record (a link, or the tombstone of one) lives in another shard: a second
    // script, as idempotent as the first, so a redelivery after a failure between them completes it.
    Optional<UserRecord> identityRecord = UserRecord.ofIdentity(event);
    if (identityRecord.isPresent()) {
      Identity identity = switch (event) {
        case IdentityLinked linked -> linked.identity();
        case IdentityUnlinked unlinked -> unlinked.identity();
        default -> throw new IllegalStateException("only (un)linking leaves an identity record");
      };
      applied |= write(event, UserId.of(identity), identityRecord.get(), identity.issuer());
    }
    return applied;
  }

  private boolean write(UserEvent event, UserId id, UserRecord record, String issuer) {
    int shard = CacheKeys.shardOf(id);
    List<String> args = new ArrayList<>();
    args.add(Long.toString(event.revision().version()));
    args.add(Integer.toString(event.revision().kind().ordinal()));
    args.add(event.eventId().toString());
    args.add(id.toString());
    // Listed only as a user: a tombstone expires, a link is kept but not listed.
    args.add(switch (record) {
      case UserRecord.Erased erased -> "1";
      case UserRecord.Linked link -> "2";
      default -> "0";
    });
    args.add(Long.toString(tombstoneRetention.toMillis()));
    UserCacheCodec.encode(record).forEach((field, value) -> {
      args.add(field);
      args.add(value);
    });
    String[] scriptKeys = {keys.user(id), keys.userIndex(shard), keys.issuerIndex(shard, issuer)};
    String[] scriptArgs = args.toArray(String[]::new);
    Long applied;
    try {
      // By its digest: the script's text is sent once per Redis server, not with every event.
      applied = connector.callReplicated(scriptKeys[0],
          commands -> commands.evalsha(APPLY_SHA, ScriptOutputType.INTEGER, scriptKeys, scriptArgs),
          e -> e instanceof RedisNoScriptException ? new ScriptNotLoaded() : new CacheUnavailable("redis write failed", e));
    } catch (ScriptNotLoaded e) {
      // A server that restarted or failed over has lost it: send the text, which loads it again.
      applied = connector.callReplicated(scriptKeys[0],
          commands -> commands.eval(APPLY, ScriptOutputType.INTEGER, scriptKeys, scriptArgs),
          failure -> new CacheUnavailable("redis write failed", failure));
    }
    return applied != null && applied == 1L;
  }

  private static final class ScriptNotLoaded extends RuntimeException {
    ScriptNotLoaded() {
      super(null, null, false, false);
    }
  }

  private static String sha1(String script) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-1", e);
    }
  }

  /**
   * Shards are ranges of ids (the first two hex digits), in id order: a page reads the cursor's
   * shard from the cursor on and, while the page is not full, the shards after it, a growing batch
   * of them per round trip. A shard gives at most what the page still lacks.
   */
  @Override
  public UserPage list(UserQuery query) {
    List<String> ids = new ArrayList<>(query.limit());
    int shard = query.after().map(CacheKeys::shardOf).orElse(0);
    Range.Boundary<String> from = query.after()
        .map(id -> Range.Boundary.excluding(id.toString())).orElse(Range.Boundary.unbounded());
    int batchSize = 1;
    while (ids.size() < query.limit() && shard < CacheKeys.SHARDS) {
      int first = shard;
      int last = Math.min(CacheKeys.SHARDS, first + batchSize);
      int wanted = query.limit() - ids.size();
      Range.Boundary<String> start = from;
      List<List<String>> replies = callAll("list", commands -> {
        List<RedisFuture<List<String>>> batch = new ArrayList<>(last - first);
        for (int each = first; each < last; each++) {
          int of = each;
          String index = query.issuer().map(issuer -> keys.issuerIndex(of, issuer)).orElseGet(() -> keys.userIndex(of));
          Range<String> range = Range.from(each == first ? start : Range.Boundary.unbounded(), Range.Boundary.unbounded());
          batch.add(commands.zrangebylex(index, range, Limit.create(0, wanted)));
        }
        return batch;
      });
      for (List<String> reply : replies) {
        if (ids.size() < query.limit()) {
          ids.addAll(reply.subList(0, Math.min(reply.size(), query.limit() - ids.size())));
        }
      }
      shard = last;
      from = Range.Boundary.unbounded();
      batchSize = Math.min(MAX_SHARDS_PER_ROUND_TRIP, batchSize * 2);
    }

    List<Map<String, String>> records = callAll("list", commands ->
        ids.stream().map(id -> commands.hgetall(keys.user(UserId.parse(id)))).toList());
    List<User> users = new ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      // Erased between the two reads: not listed, as if listed a moment later.
      decode(UserId.parse(ids.get(i)), records.get(i)).activeUser().ifPresent(users::add);
    }
    boolean full = ids.size() == query.limit();
    return new UserPage(users, full ? Optional.of(UserId.parse(ids.getLast())) : Optional.empty());
  }

  @Override
  public void close() {
    if (ownsConnector) {
      connector.close();
    }
  }

  /** Whether Redis can be reached now (for health reporting). */
  public boolean isConnected() {
    return connector.isConnected();
  }

  private static UserRecord decode(UserId id, Map<String, String> fields) {
    try {
      return UserCacheCodec.decode(fields);
    } catch (IllegalArgumentException | DateTimeException | IndexOutOfBoundsException e) {
      throw new CorruptUserRecord("stored user " + id + " cannot be read", e);
    }
  }

  private <T> T call(String what, Function<RedisClusterAsyncCommands<String, String>, RedisFuture<T>> command) {
    return connector.call(command, e -> new CacheUnavailable("redis " + what + " failed", e));
  }

  private <T> List<T> callAll(String what,
      Function<RedisClusterAsyncCommands<String, String>, List<RedisFuture<T>>> commands) {
    return connector.callAll(commands, e -> new CacheUnavailable("redis " + what + " failed", e));
  }
}
