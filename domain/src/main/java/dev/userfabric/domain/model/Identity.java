package dev.userfabric.domain.model;


/**
 * Who a verified access token speaks for: the subject at the issuer that signed it. A subject is
 * only unique within its issuer, so the pair is the identity.
 */
public record Identity(String issuer, String subject) {

  static final int MAX_LENGTH = 255;

  public Identity {
    issuer = requireText("issuer", issuer);
    subject = requireText("subject", subject);
  }

  static String requireText(String field, String value) {
    // Messages are built only when thrown, and no stream: every stored user read checks these.
    if (value == null) {
      throw new NullPointerException(field + " must not be null");
    }
    if (value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank");
    }
    if (value.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(field + " must be at most " + MAX_LENGTH + " characters");
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw new IllegalArgumentException(field + " must not contain control characters");
      }
    }
    return value;
  }
}
