package dev.userfabric.adapter.oauth;

/**
 * The shape of a presented token, read in one pass over its characters: every call does this, so
 * no regular expression (and no backtracking) is involved.
 */
enum TokenForm {
  /** Not an RFC 6750 b64token: characters no bearer token has. */
  INVALID,
  /** A b64token that is not a compact JWS (opaque, or a malformed JWS). */
  BEARER,
  /** RFC 7515 7.1: three non-empty base64url segments without padding, two dots. */
  COMPACT_JWS;

  static TokenForm of(String token) {
    int length = token.length();
    int end = length;
    while (end > 0 && token.charAt(end - 1) == '=') { // b64token: *"=" only at the end
      end--;
    }
    if (end == 0) {
      return INVALID;
    }
    boolean base64url = end == length;
    int dots = 0;
    int segmentLength = 0;
    boolean emptySegment = false;
    for (int i = 0; i < end; i++) {
      char c = token.charAt(i);
      if (c == '.') {
        dots++;
        emptySegment |= segmentLength == 0;
        segmentLength = 0;
      } else if (isAlphanumeric(c) || c == '-' || c == '_') {
        segmentLength++;
      } else if (c == '~' || c == '+' || c == '/') {
        base64url = false;
        segmentLength++;
      } else {
        return INVALID;
      }
    }
    emptySegment |= segmentLength == 0;
    return base64url && dots == 2 && !emptySegment ? COMPACT_JWS : BEARER;
  }

  static int dots(String token) {
    int dots = 0;
    for (int i = 0; i < token.length(); i++) {
      if (token.charAt(i) == '.') {
        dots++;
      }
    }
    return dots;
  }

  private static boolean isAlphanumeric(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }
}
