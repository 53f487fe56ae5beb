package dev.userfabric.adapter.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one-pass form check agrees with RFC 6750's b64token and RFC 7515's compact form. */
class TokenFormTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "eyJh.eyJz.c2ln                 | COMPACT_JWS",
      "a-_9.b.C                       | COMPACT_JWS",
      "eyJh.eyJz.c2ln=                | BEARER",
      "eyJh..c2ln                     | BEARER",
      ".eyJz.c2ln                     | BEARER",
      "eyJh.eyJz.                     | BEARER",
      "eyJh.eyJz.c2l+                 | BEARER",
      "a.b.c.d.e                      | BEARER",
      "opaque-token~+/==              | BEARER",
      "abc                            | BEARER",
      "===                            | INVALID",
      "a=b                            | INVALID",
      "eyJh.eyJz.c2ln%                | INVALID",
      "eyJh eyJz                      | INVALID",
      "'eyJh.eyJz.c2ln\"'             | INVALID",
  })
  void classifies(String token, TokenForm expected) {
    assertEquals(expected, TokenForm.of(token.strip()));
  }
}
