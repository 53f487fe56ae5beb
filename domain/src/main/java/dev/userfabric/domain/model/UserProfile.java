package dev.userfabric.domain.model;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The standard OpenID Connect claims we keep about a user (OIDC Core 5.1). Every text claim may be
 * absent; the two verification flags default to false, as the specification says they must be
 * read when absent.
 */
public record UserProfile(
    Optional<String> email,
    boolean emailVerified,
    Optional<String> name,
    Optional<String> givenName,
    Optional<String> familyName,
    Optional<String> picture,
    Optional<String> locale,
    Optional<String> phoneNumber,
    boolean phoneNumberVerified) {

  static final int MAX_CLAIM_LENGTH = 2048;

  public static final UserProfile EMPTY = builder().build();

  public UserProfile {
    email = checked("email", email);
    name = checked("name", name);
    givenName = checked("given_name", givenName);
    familyName = checked("family_name", familyName);
    picture = checked("picture", picture);
    locale = checked("locale", locale);
    phoneNumber = checked("phone_number", phoneNumber);
  }

  /** The OIDC names of the claims whose values differ in {@code other}; empty when none do. */
  public Set<String> changedClaims(UserProfile other) {
    Set<String> changed = new LinkedHashSet<>();
    compare(changed, "email", email, other.email);
    compare(changed, "email_verified", emailVerified, other.emailVerified);
    compare(changed, "name", name, other.name);
    compare(changed, "given_name", givenName, other.givenName);
    compare(changed, "family_name", familyName, other.familyName);
    compare(changed, "picture", picture, other.picture);
    compare(changed, "locale", locale, other.locale);
    compare(changed, "phone_number", phoneNumber, other.phoneNumber);
    compare(changed, "phone_number_verified", phoneNumberVerified, other.phoneNumberVerified);
    return changed;
  }

  private static void compare(Set<String> changed, String claim, Object mine, Object theirs) {
    if (!mine.equals(theirs)) {
      changed.add(claim);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  private static Optional<String> checked(String claim, Optional<String> value) {
    // Messages are built only when thrown: every stored user read checks seven claims.
    if (value == null) {
      throw new NullPointerException(claim + " must not be null (use Optional.empty())");
    }
    if (value.isEmpty()) {
      return value;
    }
    String text = value.get();
    if (text.length() > MAX_CLAIM_LENGTH) {
      throw new IllegalArgumentException(claim + " must be at most " + MAX_CLAIM_LENGTH + " characters");
    }
    return text.isBlank() ? Optional.empty() : value;
  }

  /** Collects claims one by one; unset claims stay absent. */
  public static final class Builder {
    private String email;
    private boolean emailVerified;
    private String name;
    private String givenName;
    private String familyName;
    private String picture;
    private String locale;
    private String phoneNumber;
    private boolean phoneNumberVerified;

    private Builder() {}

    public Builder email(String value) {
      email = value;
      return this;
    }

    public Builder emailVerified(boolean value) {
      emailVerified = value;
      return this;
    }

    public Builder name(String value) {
      name = value;
      return this;
    }

    public Builder givenName(String value) {
      givenName = value;
      return this;
    }

    public Builder familyName(String value) {
      familyName = value;
      return this;
    }

    public Builder picture(String value) {
      picture = value;
      return this;
    }

    public Builder locale(String value) {
      locale = value;
      return this;
    }

    public Builder phoneNumber(String value) {
      phoneNumber = value;
      return this;
    }

    public Builder phoneNumberVerified(boolean value) {
      phoneNumberVerified = value;
      return this;
    }

    public UserProfile build() {
      return new UserProfile(
          Optional.ofNullable(email),
          emailVerified,
          Optional.ofNullable(name),
          Optional.ofNullable(givenName),
          Optional.ofNullable(familyName),
          Optional.ofNullable(picture),
          Optional.ofNullable(locale),
          Optional.ofNullable(phoneNumber),
          phoneNumberVerified);
    }
  }
}
