package dev.userfabric.adapter.cache;

import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.model.UserProfile;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A user as a Redis hash of plain strings, readable with redis-cli. Field {@code v} names the
 * encoding version so it can evolve: a reader refuses versions it does not know instead of
 * guessing. Absent claims are absent fields.
 */
final class UserCacheCodec {

  static final String VERSION_FIELD = "v";
  static final String VERSION = "1";

  private UserCacheCodec() {}

  static Map<String, String> encode(User user) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put(VERSION_FIELD, VERSION);
    fields.put("id", user.id().toString());
    fields.put("iss", user.identity().issuer());
    fields.put("sub", user.identity().subject());
    fields.put("created_at", user.createdAt().toString());
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
    return fields;
  }

  /** @throws IllegalArgumentException when the hash is not a user of a known version */
  static User decode(Map<String, String> fields) {
    String version = fields.get(VERSION_FIELD);
    if (!VERSION.equals(version)) {
      throw new IllegalArgumentException("unsupported encoding version " + version);
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
    Instant createdAt = Instant.parse(required(fields, "created_at"));
    return new User(UserId.parse(required(fields, "id")), identity, profile, createdAt);
  }

  private static String required(Map<String, String> fields, String name) {
    String value = fields.get(name);
    if (value == null) {
      throw new IllegalArgumentException(name + " is missing");
    }
    return value;
  }
}
