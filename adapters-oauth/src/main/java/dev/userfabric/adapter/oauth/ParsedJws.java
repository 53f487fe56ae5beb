package dev.userfabric.adapter.oauth;

import com.nimbusds.jose.JOSEObject;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.util.Map;

/**
 * A compact JWS whose payload is decoded and parsed once. The checks read the claims as sent
 * ({@link #claims}), since Nimbus's claims set turns a numeric {@code sub} into a string; Nimbus's
 * own claims set (which its processor reads) is made from that same parse rather than from a
 * second one: base64url and JSON were two of the larger parts of a first login's CPU and garbage.
 * The signature is still checked over the token's own encoded parts.
 */
final class ParsedJws extends SignedJWT {

  private Map<String, Object> claims;
  private JWTClaimsSet claimsSet;

  private ParsedJws(Base64URL header, Base64URL payload, Base64URL signature) throws ParseException {
    super(header, payload, signature);
  }

  /** As {@link SignedJWT#parse} reads a token: three parts, a JWS header (never alg "none"). */
  static ParsedJws of(String token) throws ParseException {
    Base64URL[] parts = JOSEObject.split(token);
    if (parts.length != 3) {
      throw new ParseException("Unexpected number of Base64URL parts, must be three", 0);
    }
    return new ParsedJws(parts[0], parts[1], parts[2]);
  }

  /** The payload's JSON object as sent, parsed on first use. */
  Map<String, Object> claims() throws ParseException {
    if (claims == null) {
      Map<String, Object> parsed = getPayload().toJSONObject();
      if (parsed == null) {
        throw new ParseException("Payload of JWS object is not a valid JSON object", 0);
      }
      claims = parsed;
    }
    return claims;
  }

  @Override
  public JWTClaimsSet getJWTClaimsSet() throws ParseException {
    if (claimsSet == null) {
      claimsSet = JWTClaimsSet.parse(claims());
    }
    return claimsSet;
  }
}
