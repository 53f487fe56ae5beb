package dev.userfabric.domain.policy;

import dev.userfabric.domain.model.UserProfile;
import dev.userfabric.domain.model.VerifiedAccessToken;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Whom the policy is asked about: the verified token and the profile (fetched for a new user,
 * stored for a known one).
 *
 * @param known whether a user is stored for the token's identity already
 */
public record Applicant(VerifiedAccessToken token, UserProfile profile, boolean known) {

  public Applicant {
    Objects.requireNonNull(token, "token must not be null");
    Objects.requireNonNull(profile, "profile must not be null");
  }

  /** The profile's email, lower-cased: addresses are compared without regard to case. */
  public Optional<String> email() {
    return profile.email().map(email -> email.toLowerCase(Locale.ROOT));
  }

  /**
   * The values of a claim as text: one for a single value, each element for a list (nested
   * objects are left out). The token's claims are asked first, then the profile's standard claims,
   * since many providers put email and its flag only in userinfo.
   */
  public Optional<List<String>> claim(String path) {
    Optional<Object> value = token.claims().at(path);
    if (value.isEmpty()) {
      value = profileClaim(path);
    }
    return value.map(Applicant::texts);
  }

  private Optional<Object> profileClaim(String name) {
    return switch (name) {
      case "email" -> profile.email().map(Object.class::cast);
      case "email_verified" -> Optional.of(profile.emailVerified());
      case "name" -> profile.name().map(Object.class::cast);
      case "given_name" -> profile.givenName().map(Object.class::cast);
      case "family_name" -> profile.familyName().map(Object.class::cast);
      case "picture" -> profile.picture().map(Object.class::cast);
      case "locale" -> profile.locale().map(Object.class::cast);
      case "phone_number" -> profile.phoneNumber().map(Object.class::cast);
      case "phone_number_verified" -> Optional.of(profile.phoneNumberVerified());
      default -> Optional.empty();
    };
  }

  private static List<String> texts(Object value) {
    if (value instanceof List<?> list) {
      return list.stream().map(Applicant::text).flatMap(Optional::stream).toList();
    }
    return text(value).stream().toList();
  }

  private static Optional<String> text(Object value) {
    return switch (value) {
      case String text -> Optional.of(text);
      case Boolean flag -> Optional.of(flag.toString());
      case Double number when number == Math.rint(number) && !number.isInfinite() ->
          Optional.of(Long.toString(number.longValue()));
      case Float number when number == Math.rint(number) && !number.isInfinite() ->
          Optional.of(Long.toString(number.longValue()));
      case Number number -> Optional.of(number.toString());
      default -> Optional.empty();
    };
  }
}
