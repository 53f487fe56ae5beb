package dev.userfabric.application.e2e;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The real local Redis and RabbitMQ, seen through names only this run uses (key prefix, exchange
 * and queue prefix), and cleaned up afterwards. Fails loudly when a server is not running.
 */
final class TestServers implements AutoCloseable {

  static final String REDIS_URI =
      System.getProperty("userfabric.test.redis.uri", "redis://127.0.0.1:6379");
  static final String RABBIT_URI =
      System.getProperty("userfabric.test.rabbitmq.uri", "amqp://guest:guest@127.0.0.1:5672/%2F");

  final String run = "e2e-" + UUID.randomUUID();
  final String keyPrefix = run + ":";
  final String namePrefix = run + ".";
  final RedisClient redisClient = RedisClient.create(REDIS_URI);
  final StatefulRedisConnection<String, String> redis = redisClient.connect();
  final Connection rabbit;
  final Channel channel;

  TestServers() throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(RABBIT_URI);
    rabbit = factory.newConnection("userfabric-e2e");
    channel = rabbit.createChannel();
  }

  /** The service's configuration for these servers, the given provider and gRPC port. */
  Map<String, String> serviceProperties(int grpcPort, String issuer, String audience) {
    return new HashMap<>(Map.of(
        "grpc.server.port", String.valueOf(grpcPort),
        "userfabric.oauth.issuer", issuer,
        "userfabric.oauth.audience", audience,
        "userfabric.redis.uri", REDIS_URI,
        "userfabric.redis.key-prefix", keyPrefix,
        "userfabric.rabbitmq.uri", RABBIT_URI,
        "userfabric.rabbitmq.name-prefix", namePrefix));
  }

  /** For mock-oauth2-server, which signs its access tokens with typ JWT rather than at+jwt. */
  Map<String, String> mockOAuth2ServerProperties(int grpcPort, String issuer, String audience) {
    Map<String, String> properties = serviceProperties(grpcPort, issuer, audience);
    properties.put("userfabric.oauth.token-types", "JWT");
    return properties;
  }

  /** The Redis key of a user's record (see adapters-cache CacheKeys: shard hash tag, then id). */
  String userKey(String userId) {
    return keyPrefix + "{u" + userId.substring(0, 2) + "}user:" + userId;
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws Exception {
    for (String queue : new String[] {"userfabric.user-created", "userfabric.user-created.dlq", "userfabric.events.log"}) {
      channel.queueDelete(namePrefix + queue);
    }
    channel.exchangeDelete(namePrefix + "userfabric.events");
    channel.exchangeDelete(namePrefix + "userfabric.dead-letter");
    rabbit.close();
    ScanIterator.scan(redis.sync(), ScanArgs.Builder.matches(keyPrefix + "*").limit(500))
        .forEachRemaining(key -> redis.sync().del(key));
    redis.close();
    redisClient.shutdown();
  }
}
