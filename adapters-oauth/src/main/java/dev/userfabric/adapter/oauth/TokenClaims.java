package dev.userfabric.adapter.oauth;

import dev.userfabric.domain.model.Claims;
import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.model.UserProfile;
import dev.userfabric.domain.model.InvalidAccessToken;
import dev.userfabric.domain.model.VerifiedAccessToken;
import dev.userfabric.domain.model.VerifiedAccessToken.Bearer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Checks the claims of an access token whose issuer already vouched for it (a verified JWS, or an
 * introspection answer: RFC 7662 uses the same claim names) and reads what it says. Every check
 * is ours, in plain sight, rather than a library default.
 */
final class TokenClaims {

  /** Introspection answers may leave out what a JWT must carry. */
  enum Source { JWT, INTROSPECTION }

  private static final int MAX_TOKEN_ID_LENGTH = 255;
  private static final long LATEST_SECOND = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
  private static final Set<String> CLIENT_CREDENTIALS_GRANTS = Set.of("client-credentials", "client_credentials");

  private TokenClaims() {}

  /** The claims RFC 7519 and RFC 9068 type as strings: anything else is refused, not coerced. */
  private static final List<String> STRING_CLAIMS = List.of("iss", "sub", "client_id", "jti", "scope", "azp");

  static VerifiedAccessToken verify(IssuerSettings settings, Source source, Map<String, Object> claims,
      Set<String> required, Supplier<String> canonicalToken, Instant now) {
    Duration skew = settings.clockSkew();
    boolean jwt = source == Source.JWT;
    STRING_CLAIMS.forEach(name -> text(claims, name));
    for (String name : required) {
      if (claims.get(name) == null || claims.get(name) instanceof String text && text.isBlank()) {
        throw invalid(name + " is missing");
      }
    }

    String issuer = text(claims, "iss");
    if (jwt || issuer != null) {
      if (!settings.issuerId().equals(issuer)) { // RFC 9068 4: exact match, no normalisation
        throw invalid("iss is not the issuer");
      }
    }
    if ((jwt || claims.containsKey("aud")) && !audiences(claims).contains(settings.audience())) {
      throw invalid("aud does not name us");
    }
    Identity identity;
    try {
      identity = new Identity(settings.issuerId(), text(claims, "sub"));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw invalid("sub is missing or unusable");
    }

    Instant expiresAt = time(claims, "exp");
    if (expiresAt == null) {
      throw invalid("exp is missing");
    }
    Instant issuedAt = time(claims, "iat");
    if (issuedAt == null && jwt) {
      throw invalid("iat is missing");
    }
    Instant notBefore = time(claims, "nbf");
    if (issuedAt != null) {
      if (issuedAt.isAfter(now.plus(skew))) {
        throw invalid("iat is in the future");
      }
      if (!expiresAt.isAfter(issuedAt)) {
        throw invalid("exp is not after iat");
      }
      if (Duration.between(issuedAt, expiresAt).compareTo(settings.maxTokenLifetime()) > 0) {
        throw invalid("lifetime exceeds " + settings.maxTokenLifetime());
      }
    }
    if (notBefore != null && notBefore.isAfter(now.plus(skew))) {
      throw invalid("nbf is in the future");
    }
    if (!expiresAt.isAfter(now.minus(skew))) {
      throw new InvalidAccessToken(InvalidAccessToken.Reason.EXPIRED, "token expired", null);
    }

    return new VerifiedAccessToken(
        identity,
        tokenId(claims, canonicalToken),
        // Without iat (introspection only) the token counts as old: "revoke all" then covers it.
        issuedAt != null ? issuedAt : Instant.EPOCH,
        expiresAt,
        scopes(claims),
        bearer(claims, identity.subject()),
        profile(claims),
        policyClaims(claims));
  }

  private static InvalidAccessToken invalid(String why) {
    return new InvalidAccessToken(why);
  }

  private static String text(Map<String, Object> claims, String name) {
    Object value = claims.get(name);
    if (value != null && !(value instanceof String)) {
      throw invalid(name + " is not a string");
    }
    return (String) value;
  }

  private static List<String> audiences(Map<String, Object> claims) {
    return switch (claims.get("aud")) {
      case String single -> List.of(single);
      case List<?> many -> many.stream().filter(String.class::isInstance).map(String.class::cast).toList();
      case null, default -> List.of();
    };
  }

  private static Instant time(Map<String, Object> claims, String name) {
    Object value = claims.get(name);
    if (value == null) {
      return null;
    }
    // NumericDate (RFC 7519 2): seconds, possibly fractional; Nimbus may have made it a Date.
    long seconds = switch (value) {
      case Number number when Double.isFinite(number.doubleValue()) -> number.longValue();
      case Date date -> date.getTime() / 1000;
      default -> throw invalid(name + " is not a NumericDate");
    };
    if (seconds < 0 || seconds > LATEST_SECOND) {
      throw invalid(name + " is out of range");
    }
    return Instant.ofEpochSecond(seconds);
  }

  /**
   * The issuer's jti; a token without one is named by the digest of its canonical form (the same
   * for every encoding of it), so it can still be revoked.
   */
  private static String tokenId(Map<String, Object> claims, Supplier<String> canonicalToken) {
    String jti = text(claims, "jti");
    if (jti != null && !jti.isBlank()) {
      if (jti.length() > MAX_TOKEN_ID_LENGTH || jti.chars().anyMatch(Character::isISOControl)) {
        throw invalid("jti is unusable");
      }
      return jti;
    }
    return "sha256:" + sha256(canonicalToken.get()); // worked out only for a token without jti
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** RFC 9068 2.2.3 ("scope", space-separated), or the "scp" list some providers send instead. */
  private static Set<String> scopes(Map<String, Object> claims) {
    Object scope = claims.containsKey("scope") ? claims.get("scope") : claims.get("scp");
    return switch (scope) {
      case String spaced -> Arrays.stream(spaced.split(" ")).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
      case List<?> list -> list.stream().filter(String.class::isInstance).map(String.class::cast).collect(Collectors.toSet());
      case null, default -> Set.of();
    };
  }

  /**
   * A client-credentials token names the client as its subject (RFC 9068 2.2: sub is the client
   * id then); some providers say so with a grant-type claim or an "@clients" suffix instead.
   */
  private static Bearer bearer(Map<String, Object> claims, String subject) {
    Object clientId = claims.get("client_id");
    Object authorizedParty = claims.get("azp");
    boolean client = subject.equals(clientId)
        || subject.equals(authorizedParty)
        || (clientId instanceof String id && subject.equals(id + "@clients"))
        || (claims.get("gty") instanceof String grant && CLIENT_CREDENTIALS_GRANTS.contains(grant));
    return client ? Bearer.CLIENT : Bearer.PERSON;
  }

  /** Nimbus reads the NumericDates as {@link Date}s; the policy sees JSON, so seconds again. */
  private static Claims policyClaims(Map<String, Object> claims) {
    Map<String, Object> json = new java.util.LinkedHashMap<>(claims);
    json.replaceAll((name, value) -> value instanceof Date date ? date.getTime() / 1000 : value);
    return Claims.of(json);
  }

  private static UserProfile profile(Map<String, Object> claims) {
    try {
      return ProfileClaims.from(claims);
    } catch (IllegalArgumentException e) {
      // An oversized profile claim spoils the fallback profile, not the token.
      return UserProfile.EMPTY;
    }
  }
}
