package dev.userfabric.adapter.oauth;

import dev.userfabric.domain.model.UserProfile;
import java.util.Map;

/** Reads the standard OIDC profile claims (OIDC Core 5.1) from a JSON object, leniently. */
final class ProfileClaims {

  private ProfileClaims() {}

  /**
   * Claims of the wrong JSON type are left out rather than failing the whole profile.
   *
   * @throws IllegalArgumentException when a claim breaks the domain's limits (length)
   */
  static UserProfile from(Map<String, Object> claims) {
    return UserProfile.builder()
        .email(text(claims, "email"))
        .emailVerified(flag(claims, "email_verified"))
        .name(text(claims, "name"))
        .givenName(text(claims, "given_name"))
        .familyName(text(claims, "family_name"))
        .picture(text(claims, "picture"))
        .locale(text(claims, "locale"))
        .phoneNumber(text(claims, "phone_number"))
        .phoneNumberVerified(flag(claims, "phone_number_verified"))
        .build();
  }

  static String text(Map<String, Object> claims, String name) {
    return claims.get(name) instanceof String value ? value : null;
  }

  /** Some providers send the flags as strings ("true"); anything else reads as not verified. */
  private static boolean flag(Map<String, Object> claims, String name) {
    Object value = claims.get(name);
    return Boolean.TRUE.equals(value) || "true".equals(value);
  }
}
