package dev.userfabric.adapter.cache;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * Owns the Lettuce client and its one shared connection (Lettuce connections are thread-safe and
 * pipelined). Connects on first use so the service can start before Redis; once connected,
 * Lettuce reconnects by itself and refuses commands while disconnected instead of queueing them.
 */
final class RedisConnector implements AutoCloseable {

  private final RedisClient client;
  private volatile StatefulRedisConnection<String, String> connection;

  RedisConnector(RedisCacheSettings settings) {
    RedisURI uri = RedisURI.create(settings.uri());
    uri.setTimeout(settings.commandTimeout());
    client = RedisClient.create(uri);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .requestQueueSize(settings.requestQueueSize())
        .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
        .socketOptions(SocketOptions.builder().connectTimeout(settings.commandTimeout()).build())
        .build());
  }

  /** @throws RedisConnectionException when no connection can be opened */
  RedisCommands<String, String> commands() {
    StatefulRedisConnection<String, String> current = connection;
    if (current == null) {
      current = connect();
    }
    return current.sync();
  }

  private synchronized StatefulRedisConnection<String, String> connect() {
    if (connection == null) {
      connection = client.connect();
    }
    return connection;
  }

  @Override
  public synchronized void close() {
    if (connection != null) {
      connection.close();
    }
    client.shutdown();
  }
}
