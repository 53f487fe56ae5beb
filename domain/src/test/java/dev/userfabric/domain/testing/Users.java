package dev.userfabric.domain.testing;

import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.model.UserProfile;
import dev.userfabric.domain.model.UserCreated;
import dev.userfabric.domain.model.UserDeleted;
import dev.userfabric.domain.model.UserUpdated;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** Sample users for tests. */
public final class Users {

  public static final String ISSUER = "https://idp.example.test";
  public static final Instant CREATED_AT = Instant.parse("2026-11-21T10:15:30.123456Z");

  private Users() {}

  public static Identity identity(String subject) {
    return new Identity(ISSUER, subject);
  }

  public static UserId userId(Identity identity) {
    return UserId.of(identity);
  }

  /** A user with every profile claim set. */
  public static User fullUser(String subject) {
    UserProfile profile = UserProfile.builder()
        .email(subject + "@example.test")
        .emailVerified(true)
        .name("Ada " + subject)
        .givenName("Ada")
        .familyName(subject)
        .picture("https://pictures.example.test/" + subject + ".png")
        .locale("en-GB")
        .phoneNumber("+44 20 7946 0000")
        .phoneNumberVerified(true)
        .build();
    return User.create(identity(subject), profile, CREATED_AT);
  }

  /** A user with no profile claims at all. */
  public static User bareUser(String subject) {
    return User.create(identity(subject), UserProfile.EMPTY, CREATED_AT);
  }

  /** A user of the given issuer with a profile and version of one's choosing. */
  public static User user(String issuer, String subject, String email, long version) {
    Identity identity = new Identity(issuer, subject);
    UserProfile profile = UserProfile.builder().email(email).emailVerified(true).build();
    return new User(UserId.of(identity), identity, profile, CREATED_AT, CREATED_AT.plusSeconds(version), version);
  }

  public static UserCreated created(User user) {
    return new UserCreated(UUID.randomUUID(), user.updatedAt(), user);
  }

  public static UserCreated created(User user, UUID eventId) {
    return new UserCreated(eventId, user.updatedAt(), user);
  }

  /** The user with a new email as the given version. */
  public static UserUpdated updated(User user, String email, long version) {
    return updated(user, email, version, UUID.randomUUID());
  }

  public static UserUpdated updated(User user, String email, long version, UUID eventId) {
    User changed = user.withProfile(UserProfile.builder().email(email).emailVerified(true).build(),
        CREATED_AT.plusSeconds(version), version);
    return new UserUpdated(eventId, changed.updatedAt(), changed, Set.of("email"));
  }

  public static UserDeleted deleted(User user, long version) {
    return new UserDeleted(UUID.randomUUID(), CREATED_AT.plusSeconds(version), user.identity(), version);
  }
}
