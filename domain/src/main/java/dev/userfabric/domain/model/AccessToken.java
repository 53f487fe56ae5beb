package dev.userfabric.domain.model;

import java.util.Objects;

/** A bearer access token as the caller presented it. Never printed: it is a credential. */
public record AccessToken(String value) {

  public AccessToken {
    Objects.requireNonNull(value, "access token must not be null");
    if (value.isBlank()) {
      throw new IllegalArgumentException("access token must not be blank");
    }
  }

  @Override
  public String toString() {
    return "AccessToken[redacted]";
  }
}
