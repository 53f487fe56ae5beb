package dev.userfabric.domain.model;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * A user's id: a name-based UUID (RFC 9562 version 5) of the issuer and subject. Being derived,
 * not drawn, it is the same for every retry and every replica, which is what lets concurrent
 * first calls for one person converge on one stored user.
 */
public record UserId(UUID value) {

  /** Namespace of Userfabric user ids; changing it would change every id. */
  private static final UUID NAMESPACE = UUID.fromString("6d1f3a0e-6b9a-5c37-9a53-1d2b5e0f7c41");

  /**
   * SHA-1 that has read the namespace, never updated again: each id starts from a copy. Asking the
   * security providers for a digest on every call (every known user's call derives an id) cost
   * more than the hash itself, and a third of what deriving an id allocated.
   */
  private static final MessageDigest NAMESPACED_SHA1 = namespacedSha1();

  public UserId {
    Objects.requireNonNull(value, "value must not be null");
  }

  public static UserId of(Identity identity) {
    // NUL cannot occur in either part (Identity refuses control characters), so the name is
    // unambiguous: ("ab", "c") and ("a", "bc") never collide.
    byte[] name = (identity.issuer() + '\0' + identity.subject()).getBytes(StandardCharsets.UTF_8);
    return new UserId(nameBasedUuid(name));
  }

  /** Parses the canonical text form; throws {@link IllegalArgumentException} naming the field. */
  public static UserId parse(String text) {
    Objects.requireNonNull(text, "id must not be null");
    try {
      UUID uuid = UUID.fromString(text);
      if (!uuid.toString().equals(text.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException("id must be a canonical UUID");
      }
      return new UserId(uuid);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("id must be a canonical UUID", e);
    }
  }

  @Override
  public String toString() {
    return value.toString();
  }

  private static UUID nameBasedUuid(byte[] name) {
    byte[] hash = namespaced().digest(name);
    hash[6] = (byte) ((hash[6] & 0x0f) | 0x50); // version 5
    hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // IETF variant
    ByteBuffer bytes = ByteBuffer.wrap(hash, 0, 16);
    return new UUID(bytes.getLong(), bytes.getLong());
  }

  private static MessageDigest namespaced() {
    try {
      return (MessageDigest) NAMESPACED_SHA1.clone();
    } catch (CloneNotSupportedException e) {
      return namespacedSha1(); // a provider whose digest cannot be copied: start afresh
    }
  }

  private static MessageDigest namespacedSha1() {
    MessageDigest sha1;
    try {
      sha1 = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-1", e);
    }
    sha1.update(ByteBuffer.allocate(16)
        .putLong(NAMESPACE.getMostSignificantBits())
        .putLong(NAMESPACE.getLeastSignificantBits())
        .array());
    return sha1;
  }
}
