package dev.userfabric.domain.testing;

import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.model.UserProfile;
import java.time.Instant;

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
}
