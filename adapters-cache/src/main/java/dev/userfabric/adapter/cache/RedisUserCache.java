package dev.userfabric.adapter.cache;

import dev.userfabric.domain.model.CacheUnavailable;
import dev.userfabric.domain.model.CorruptUserRecord;
import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.port.out.UserCache;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The user cache in Redis, one hash per user; inserts are atomic and first-writer-wins. */
public final class RedisUserCache implements UserCache, AutoCloseable {

  // EXISTS + HSET in one script: Redis runs it atomically, so of two racing inserts exactly one
  // writes the hash and no reader ever sees a half-written user.
  private static final String INSERT_IF_ABSENT = """
      if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
      redis.call('HSET', KEYS[1], unpack(ARGV))
      return 1
      """;

  private final RedisConnector connector;
  private final boolean ownsConnector;
  private final CacheKeys keys;

  /**
   * @param settings where Redis is and how long to wait for it; the connection is opened on first
   *     use and re-established by Lettuce, so the service starts while Redis is still down
   */
  public RedisUserCache(RedisCacheSettings settings) {
    this(new RedisConnector(settings), settings.keyPrefix(), true);
  }

  /** On a connection shared with the other Redis adapters; closing this leaves it open. */
  public RedisUserCache(RedisConnector connector, String keyPrefix) {
    this(connector, keyPrefix, false);
  }

  private RedisUserCache(RedisConnector connector, String keyPrefix, boolean ownsConnector) {
    this.connector = connector;
    this.ownsConnector = ownsConnector;
    this.keys = new CacheKeys(keyPrefix);
  }

  @Override
  public Optional<User> find(UserId id) {
    Map<String, String> fields = call("read", commands -> commands.hgetall(keys.user(id)));
    if (fields.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(UserCacheCodec.decode(fields));
    } catch (IllegalArgumentException | DateTimeException e) {
      throw new CorruptUserRecord("stored user " + id + " cannot be read", e);
    }
  }

  @Override
  public boolean insertIfAbsent(User user) {
    List<String> args = new ArrayList<>();
    UserCacheCodec.encode(user).forEach((field, value) -> {
      args.add(field);
      args.add(value);
    });
    Long inserted = call("write", commands -> commands.eval(
        INSERT_IF_ABSENT, ScriptOutputType.INTEGER,
        new String[] {keys.user(user.id())}, args.toArray(String[]::new)));
    return inserted != null && inserted == 1L;
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

  private <T> T call(String what, Function<RedisAsyncCommands<String, String>, RedisFuture<T>> command) {
    return connector.call(command, e -> new CacheUnavailable("redis " + what + " failed", e));
  }
}
