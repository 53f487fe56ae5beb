package dev.userfabric.adapter.cache;

import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.model.Revision;
import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.model.UserProfile;
import dev.userfabric.domain.model.UserRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A user (or the tombstone of one) as a Redis hash of plain strings, readable with redis-cli.
 * Field {@code v} names the encoding version so it can evolve: a reader refuses versions it does
 * not know instead of guessing. Absent claims are absent fields. {@code version}, {@code kind}
 * (the {@link Revision.Kind} ordinal) and {@code event_id} are the revision the store compares
 * an incoming event against. A linked identity's own id holds a link ({@code linked_to}, the
 * user's id); a user lists its linked identities in {@code linked}.
 */
final class UserCacheCodec {

  static final String VERSION_FIELD = "v";
  static final String VERSION = "2";
  static final String REVISION_FIELD = "version";
  static final String KIND_FIELD = "kind";
  static final String EVENT_FIELD = "event_id";
  static final String TOMBSTONE_FIELD = "deleted_at";
  static final String LINK_FIELD = "linked_to";
  static final String LINKED_IDENTITIES_FIELD = "linked";

  /** Every field name this codec writes (a reader matches a reply's names against these). */
  static final List<String> FIELD_NAMES = List.of(VERSION_FIELD, REVISION_FIELD, KIND_FIELD, EVENT_FIELD, "id",
      "iss", "sub", "created_at", "updated_at", "email", "email_verified", "name", "given_name", "family_name",
      "picture", "locale", "phone_number", "phone_number_verified", LINKED_IDENTITIES_FIELD, TOMBSTONE_FIELD,
      LINK_FIELD);

  private UserCacheCodec() {}

  static Map<String, String> encode(UserRecord record) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put(VERSION_FIELD, VERSION);
    switch (record) {
      case UserRecord.Active(User user, Revision revision) -> {
        revision(fields, revision);
        user(fields, user);
      }
      case UserRecord.Erased(UserId id, Revision revision, Instant deletedAt) -> {
        revision(fields, revision);
        fields.put("id", id.toString());
        fields.put(TOMBSTONE_FIELD, deletedAt.toString());
      }
      case UserRecord.Linked(UserId id, UserId target, Revision revision) -> {
        revision(fields, revision);
        fields.put("id", id.toString());
        fields.put(LINK_FIELD, target.toString());
      }
      case UserRecord.Missing missing -> throw new IllegalArgumentException("nothing to store");
    }
    return fields;
  }

  private static void revision(Map<String, String> fields, Revision revision) {
    fields.put(REVISION_FIELD, Long.toString(revision.version()));
    fields.put(KIND_FIELD, Integer.toString(revision.kind().ordinal()));
    fields.put(EVENT_FIELD, revision.eventId().toString());
  }

  private static void user(Map<String, String> fields, User user) {
    fields.put("id", user.id().toString());
    fields.put("iss", user.identity().issuer());
    fields.put("sub", user.identity().subject());
    fields.put("created_at", user.createdAt().toString());
    fields.put("updated_at", user.updatedAt().toString());
    UserProfile profile = user.profile();
    profile.email().ifPresent(value -> fields.put("email", value));
    fields.put("email_verified", Boolean.toString(profile.emailVerified()));
    profile.name().ifPresent(value -> fields.put("name", value));
    profile.givenName().ifPresent(value -> fields.put("given_name", value));
    profile.familyName().ifPresent(value -> fields.put("family_name", value));
    profile.picture().ifPresent(value -> fields.put("picture", value));
    profile.locale().ifPresent(value -> fields.put("locale", value));
    profile.phoneNumber().ifPresent(value -> fields.put("phone_number", value));
    fields.put("phone_number_verified", Boolean.toString(profile.phoneNumberVerified()));
    if (!user.linkedIdentities().isEmpty()) {
      // One line per identity, issuer and subject apart by a tab: neither may hold a control character.
      StringBuilder linked = new StringBuilder();
      user.linkedIdentities().forEach(identity ->
          linked.append(identity.issuer()).append('\t').append(identity.subject()).append('\n'));
      fields.put(LINKED_IDENTITIES_FIELD, linked.toString());
    }
  }

  private static List<Identity> linkedIdentities(String field) {
    if (field == null) {
      return List.of();
    }
    List<Identity> identities = new ArrayList<>();
    for (String line : field.split("\n")) {
      int tab = line.indexOf('\t');
      if (tab < 0) {
        throw new IllegalArgumentException("a linked identity is not issuer and subject");
      }
      identities.add(new Identity(line.substring(0, tab), line.substring(tab + 1)));
    }
    return identities;
  }

  /** @throws IllegalArgumentException when the hash is not a record of a known version */
  static UserRecord decode(Map<String, String> fields) {
    if (fields.isEmpty()) {
      return UserRecord.MISSING;
    }
    String version = fields.get(VERSION_FIELD);
    if (!VERSION.equals(version)) {
      throw new IllegalArgumentException("unsupported encoding version " + version);
    }
    Revision revision = new Revision(
        Long.parseLong(required(fields, REVISION_FIELD)),
        Revision.Kind.values()[Integer.parseInt(required(fields, KIND_FIELD))],
        UUID.fromString(required(fields, EVENT_FIELD)));
    UserId id = UserId.parse(required(fields, "id"));
    if (fields.containsKey(TOMBSTONE_FIELD)) {
      return new UserRecord.Erased(id, revision, StoredInstants.parse(fields.get(TOMBSTONE_FIELD)));
    }
    if (fields.containsKey(LINK_FIELD)) {
      return new UserRecord.Linked(id, UserId.parse(fields.get(LINK_FIELD)), revision);
    }
    Identity identity = new Identity(required(fields, "iss"), required(fields, "sub"));
    UserProfile profile = new UserProfile(
        Optional.ofNullable(fields.get("email")),
        Boolean.parseBoolean(fields.get("email_verified")),
        Optional.ofNullable(fields.get("name")),
        Optional.ofNullable(fields.get("given_name")),
        Optional.ofNullable(fields.get("family_name")),
        Optional.ofNullable(fields.get("picture")),
        Optional.ofNullable(fields.get("locale")),
        Optional.ofNullable(fields.get("phone_number")),
        Boolean.parseBoolean(fields.get("phone_number_verified")));
    User user = new User(id, identity, profile, StoredInstants.parse(required(fields, "created_at")),
        StoredInstants.parse(required(fields, "updated_at")), revision.version(),
        linkedIdentities(fields.get(LINKED_IDENTITIES_FIELD)));
    return new UserRecord.Active(user, revision);
  }

  private static String required(Map<String, String> fields, String name) {
    String value = fields.get(name);
    if (value == null) {
      throw new IllegalArgumentException(name + " is missing");
    }
    return value;
  }
}
