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
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

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
    return decode(id, call("read", hgetall(id)));
  }

  /** Sent at once, on the connection the revocation list shares: its check and this one round trip. */
  @Override
  public Supplier<UserRecord> readAhead(UserId id) {
    Supplier<Map<String, String>> reply =
        connector.callAhead(hgetall(id), e -> new CacheUnavailable("redis read failed", e));
    return () -> decode(id, reply.get());
  }

  private Function<RedisClusterAsyncCommands<String, String>, RedisFuture<Map<String, String>>> hgetall(UserId id) {
    return commands -> commands.dispatch(CommandType.HGETALL, new StoredFieldsOutput(),
        new CommandArgs<>(Utf8Codec.INSTANCE).addKey(keys.user(id)));
  }

  @Override
  public boolean apply(UserEvent event) {
    boolean applied = false;
    // The identity's own record (a link, or the tombstone of one) lives in another shard: a second
    // script, as idempotent as the first, so a redelivery after a failure between them completes it.
    for (ScriptCall write : writesOf(event)) {
      applied |= send(write);
    }
    return applied;
  }

  /**
   * On a standalone server, every event's scripts in one write to Redis and one wait for all the
   * replies: the round trip, the socket writes and the event loop's hand-offs are paid once for
   * the batch. A Redis Cluster applies them one by one, each on its slot's master and confirmed
   * by a replica.
   */
  @Override
  public List<Boolean> applyAll(List<UserEvent> events) {
    if (connector.isCluster() || events.size() < 2) {
      return UserCache.super.applyAll(events);
    }
    List<ScriptCall> writes = new ArrayList<>(events.size());
    int[] eventOf = new int[2 * events.size()];
    for (int i = 0; i < events.size(); i++) {
      for (ScriptCall write : writesOf(events.get(i))) {
        eventOf[writes.size()] = i;
        writes.add(write);
      }
    }
    List<Long> replies;
    try {
      replies = connector.dispatchAll(bySha(writes), RedisUserCache::writeFailed);
    } catch (ScriptNotLoaded e) {
      // A server that restarted or failed over has lost it: load it, then send them all again
      // (every write is idempotent; one that did run, the script loaded meanwhile by another
      // client, is found stale the second time).
      connector.call(commands -> commands.scriptLoad(APPLY), failure -> new CacheUnavailable("redis write failed", failure));
      replies = connector.dispatchAll(bySha(writes), failure -> new CacheUnavailable("redis write failed", failure));
    }
    List<Boolean> applied = new ArrayList<>(Collections.nCopies(events.size(), false));
    for (int w = 0; w < writes.size(); w++) {
      if (Long.valueOf(1L).equals(replies.get(w))) {
        applied.set(eventOf[w], true);
      }
    }
    return applied;
  }

  /** The apply script's keys and arguments for one record: the user's, or an identity's own. */
  private record ScriptCall(String[] keys, String[] args) {}

  private List<ScriptCall> writesOf(UserEvent event) {
    UserRecord record = UserRecord.of(event);
    // A tombstone names no issuer; its user's issuer index is found through the identity, which
    // every event carries.
    String issuer = switch (event) {
      case UserStateEvent withState -> withState.user().identity().issuer();
      case UserDeleted deleted -> deleted.identity().issuer();
    };
    ScriptCall user = scriptCall(event, event.userId(), record, issuer);
    Optional<UserRecord> identityRecord = UserRecord.ofIdentity(event);
    if (identityRecord.isEmpty()) {
      return List.of(user);
    }
    Identity identity = switch (event) {
      case IdentityLinked linked -> linked.identity();
      case IdentityUnlinked unlinked -> unlinked.identity();
      default -> throw new IllegalStateException("only (un)linking leaves an identity record");
    };
    return List.of(user, scriptCall(event, UserId.of(identity), identityRecord.get(), identity.issuer()));
  }

  private ScriptCall scriptCall(UserEvent event, UserId id, UserRecord record, String issuer) {
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
    return new ScriptCall(new String[] {keys.user(id), keys.userIndex(shard), keys.issuerIndex(shard, issuer)},
        args.toArray(String[]::new));
  }

  private boolean send(ScriptCall write) {
    Long applied;
    try {
      // By its digest: the script's text is sent once per Redis server, not with every event.
      applied = connector.callReplicated(write.keys()[0],
          commands -> commands.evalsha(APPLY_SHA, ScriptOutputType.INTEGER, write.keys(), write.args()),
          RedisUserCache::writeFailed);
    } catch (ScriptNotLoaded e) {
      // A server that restarted or failed over has lost it: send the text, which loads it again.
      applied = connector.callReplicated(write.keys()[0],
          commands -> commands.eval(APPLY, ScriptOutputType.INTEGER, write.keys(), write.args()),
          failure -> new CacheUnavailable("redis write failed", failure));
    }
    return applied != null && applied == 1L;
  }

  private static RuntimeException writeFailed(RedisException e) {
    return e instanceof RedisNoScriptException ? new ScriptNotLoaded() : new CacheUnavailable("redis write failed", e);
  }

  // New commands each time: a command is completed once.
  private static List<AsyncCommand<String, String, Long>> bySha(List<ScriptCall> writes) {
    List<AsyncCommand<String, String, Long>> commands = new ArrayList<>(writes.size());
    for (ScriptCall write : writes) {
      CommandArgs<String, String> args = new CommandArgs<>(Utf8Codec.INSTANCE).add(APPLY_SHA)
          .add(write.keys().length).addKeys(write.keys()).addValues(write.args());
      commands.add(new AsyncCommand<>(new Command<>(CommandType.EVALSHA, new IntegerOutput<>(Utf8Codec.INSTANCE), args)));
    }
    return commands;
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
