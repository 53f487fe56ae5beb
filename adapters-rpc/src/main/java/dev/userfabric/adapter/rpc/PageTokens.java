package dev.userfabric.adapter.rpc;

import dev.userfabric.domain.model.InvalidUserData;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * ListUsers' opaque page tokens: the last user id of the page, and the issuer filter the listing
 * was asked with, so that a token is not reused for another listing (AIP-158). Opaque to clients
 * so that what it holds may change; it holds nothing they could not list anyway.
 */
final class PageTokens {

  private static final String FORMAT = "1";

  private PageTokens() {}

  static String encode(String lastUserId, String issuer) {
    String text = FORMAT + "\n" + issuer + "\n" + lastUserId;
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The user id after which the page starts; empty for the first page. */
  static Optional<String> decode(String token, String issuer) {
    if (token.isEmpty()) {
      return Optional.empty();
    }
    String[] parts;
    try {
      parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("\n", -1);
    } catch (IllegalArgumentException e) {
      throw new InvalidUserData("page_token is not one this service issued");
    }
    if (parts.length != 3 || !FORMAT.equals(parts[0])) {
      throw new InvalidUserData("page_token is not one this service issued");
    }
    if (!parts[1].equals(issuer)) {
      throw new InvalidUserData("page_token was issued for another issuer filter");
    }
    return Optional.of(parts[2]);
  }
}
