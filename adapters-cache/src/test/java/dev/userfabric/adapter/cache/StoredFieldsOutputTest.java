package dev.userfabric.adapter.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.model.Revision;
import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.model.UserRecord;
import dev.userfabric.domain.testing.Users;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The reply of an HGETALL, as Lettuce's state machine hands it over: a count, then name, value... */
class StoredFieldsOutputTest {

  private static final Revision REVISION = new Revision(3, Revision.Kind.UPDATED, UUID.randomUUID());

  @Test
  public void readsEveryKindOfRecordAsTheCodecWroteIt() {
    User full = Users.fullUser("ada");
    User linked = new User(full.id(), full.identity(), full.profile(), full.createdAt(), full.updatedAt(),
        full.version(), List.of(new Identity("https://other.example.test", "ada-elsewhere")));
    User bare = Users.bareUser("grace");
    List<UserRecord> records = List.of(
        new UserRecord.Active(linked, revisionOf(linked)),
        new UserRecord.Active(bare, revisionOf(bare)),
        new UserRecord.Erased(full.id(), REVISION, Users.CREATED_AT.plusSeconds(60)),
        new UserRecord.Linked(UserId.of(Users.identity("ada-elsewhere")), full.id(), REVISION));

    for (UserRecord record : records) {
      Map<String, String> written = UserCacheCodec.encode(record);
      Map<String, String> read = reply(written);

      assertEquals(written, read);
      assertEquals(record, UserCacheCodec.decode(read));
      for (String name : written.keySet()) {
        assertTrue(UserCacheCodec.FIELD_NAMES.contains(name), name + " is written but not a known name");
        // the codec's own constant, not a string made for this reply
        assertSame(UserCacheCodec.FIELD_NAMES.get(UserCacheCodec.FIELD_NAMES.indexOf(name)),
            keyOf(read, name));
      }
    }
  }

  @Test
  public void keepsAFieldItDoesNotKnow() {
    Map<String, String> written = new LinkedHashMap<>(UserCacheCodec.encode(
        new UserRecord.Active(Users.fullUser("ada"), revisionOf(Users.fullUser("ada")))));
    written.put("written_by_a_newer_version", "kept");

    Map<String, String> read = reply(written);

    assertEquals("kept", read.get("written_by_a_newer_version"));
    assertEquals(written, read);
  }

  @Test
  public void readsNoFieldsAsAMissingRecord() {
    Map<String, String> read = reply(Map.of());

    assertTrue(read.isEmpty());
    assertNull(read.get("id"));
    assertSame(UserRecord.MISSING, UserCacheCodec.decode(read));
  }

  /** A stored user's revision carries its version. */
  private static Revision revisionOf(User user) {
    return new Revision(user.version(), Revision.Kind.CREATED, UUID.randomUUID());
  }

  private static Map<String, String> reply(Map<String, String> fields) {
    StoredFieldsOutput output = new StoredFieldsOutput();
    output.multi(fields.size() * 2);
    fields.forEach((name, value) -> {
      output.set(bytes(name));
      output.set(bytes(value));
    });
    output.complete(0);
    return output.get();
  }

  /** As Redis sends it: a buffer over a larger one, not at position 0. */
  private static ByteBuffer bytes(String text) {
    byte[] encoded = text.getBytes(StandardCharsets.UTF_8);
    ByteBuffer larger = ByteBuffer.allocateDirect(encoded.length + 8);
    larger.put(new byte[] {'$', '1', '\r', '\n'}).put(encoded).put(new byte[] {'\r', '\n', 'x', 'x'});
    return larger.limit(4 + encoded.length).position(4);
  }

  private static String keyOf(Map<String, String> map, String name) {
    return map.keySet().stream().filter(name::equals).findFirst().orElseThrow();
  }
}
