package dev.userfabric.application.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userfabric.adapter.cache.RedisCacheSettings;
import dev.userfabric.adapter.cache.RedisUserCache;
import dev.userfabric.application.PackagedService;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.model.UserRecord;
import dev.userfabric.proto.v1.CreateUserRequest;
import dev.userfabric.proto.v1.DeleteUserRequest;
import dev.userfabric.proto.v1.RefreshUserRequest;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The documented rebuild: users created, refreshed and erased over gRPC, the store's keys wiped,
 * then {@code userfabric rebuild} (the packaged jar, as an operator runs it) replays the event log
 * into the empty store, which must then hold the same records, field by field.
 */
@MicronautTest
class RebuildE2EIT extends MockProviderServers {

  private static final Duration WITHIN = Duration.ofSeconds(20);

  @Test
  public void rebuildingAWipedStoreFromTheLogYieldsTheSameUsers() throws Exception {
    Map<UserId, Long> expectedVersions = new LinkedHashMap<>();
    try (RedisUserCache store = new RedisUserCache(RedisCacheSettings.of(TestServers.REDIS_URI, servers.keyPrefix))) {
      for (int i = 0; i < 30; i++) {
        String subject = "rebuild-" + i + "-" + UUID.randomUUID();
        var created = users(login(subject, "first@example.test")).createUser(CreateUserRequest.getDefaultInstance());
        UserId id = UserId.parse(created.getUser().getId());
        expectedVersions.put(id, created.getUser().getVersion());
        if (i % 3 == 0) {
          awaitVersion(store, id, expectedVersions.get(id)); // a refresh needs the stored user
          var refreshed = users(login(subject, "second@example.test")).refreshUser(RefreshUserRequest.getDefaultInstance());
          expectedVersions.put(id, refreshed.getUser().getVersion());
        }
        if (i % 5 == 0) {
          awaitVersion(store, id, expectedVersions.get(id)); // one life in order: erased after its update
          var deleted = users(login(subject, "second@example.test")).deleteUser(DeleteUserRequest.getDefaultInstance());
          expectedVersions.put(id, deleted.getVersion());
        }
      }
      eventually(WITHIN, () -> expectedVersions.entrySet().stream()
          .allMatch(entry -> store.read(entry.getKey()).version() == entry.getValue()));
      Map<UserId, UserRecord> before = new LinkedHashMap<>();
      expectedVersions.keySet().forEach(id -> before.put(id, store.read(id)));

      ScanIterator.scan(servers.redis.sync(), ScanArgs.Builder.matches(servers.keyPrefix + "*").limit(500))
          .forEachRemaining(key -> servers.redis.sync().del(key));
      assertEquals(UserRecord.MISSING, store.read(before.keySet().iterator().next()), "the store is wiped");

      Path log = Files.createTempFile("userfabric-rebuild-", ".log");
      Process rebuild = PackagedService.run(log, Map.of(
              "userfabric.redis.uri", TestServers.REDIS_URI,
              "userfabric.redis.key-prefix", servers.keyPrefix,
              "userfabric.rabbitmq.uri", TestServers.RABBIT_URI,
              "userfabric.rabbitmq.name-prefix", servers.namePrefix),
          List.of(), List.of("rebuild", "--idle=2s"));
      assertTrue(rebuild.waitFor(120, TimeUnit.SECONDS), "rebuild did not end; see " + log);
      String output = Files.readString(log);
      assertEquals(0, rebuild.exitValue(), output);
      assertTrue(output.contains("0 unusable"), output);

      before.forEach((id, record) -> assertEquals(record, store.read(id), "user " + id));
    }
  }

  private static void awaitVersion(RedisUserCache store, UserId id, long version) throws Exception {
    eventually(WITHIN, () -> store.read(id).version() == version);
  }
}
