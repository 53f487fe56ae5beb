package dev.userfabric.adapter.oauth;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import com.nimbusds.jose.JWSHeader;
import dev.userfabric.domain.model.AccessToken;
import dev.userfabric.domain.model.IdentityProviderUnavailable;
import dev.userfabric.domain.model.InvalidAccessToken;
import dev.userfabric.domain.model.VerifiedAccessToken;
import dev.userfabric.domain.port.out.AccessTokenVerifier;
import java.text.ParseException;
import java.util.List;
import java.util.Optional;
import java.time.InstantSource;

/**
 * Treats the token as hostile input: its size and form are checked before any parsing beyond
 * base64, its header before any key is fetched, and it is checked only by the trusted issuer it
 * names. Tokens not shaped like a JWS or JWE go to the issuers configured for opaque tokens.
 */
final class OAuthAccessTokenVerifier implements AccessTokenVerifier {

  /** Real access tokens are a few KiB; anything far larger is refused unread. */
  static final int MAX_TOKEN_LENGTH = 16 * 1024;
  private final TrustedIssuers issuers;
  private final VerifiedTokenCache verifiedJwts;
  private final Tracer tracer;

  OAuthAccessTokenVerifier(TrustedIssuers issuers, InstantSource clock, Tracer tracer) {
    this.tracer = tracer;
    this.issuers = issuers;
    this.verifiedJwts = new VerifiedTokenCache(clock);
  }

  /** In an INTERNAL span {@code token verify}: the check itself; an introspection is inside it. */
  @Override
  public VerifiedAccessToken verify(AccessToken accessToken) {
    Span span = tracer.spanBuilder("token verify").startSpan();
    try (Scope ignored = span.makeCurrent()) {
      VerifiedAccessToken verified = check(accessToken, span);
      span.setAttribute("userfabric.token.issuer", verified.identity().issuer());
      return verified;
    } catch (RuntimeException e) {
      span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName()); // why is in the security log
      throw e;
    } finally {
      span.end();
    }
  }

  private VerifiedAccessToken check(AccessToken accessToken, Span span) {
    String token = accessToken.value();
    if (token.length() > MAX_TOKEN_LENGTH) {
      throw new InvalidAccessToken("token is too large");
    }
    Optional<VerifiedAccessToken> known = verifiedJwts.known(token); // it passed every check below
    span.setAttribute("userfabric.token.cached", known.isPresent());
    if (known.isPresent()) {
      return known.get();
    }
    TokenForm form = TokenForm.of(token);
    if (form == TokenForm.INVALID) {
      throw new InvalidAccessToken("token has characters no bearer token has");
    }
    int dots = TokenForm.dots(token);
    if (dots == 2) { // JWS-shaped: checked as a JWT only, never sent to an introspection endpoint
      if (form != TokenForm.COMPACT_JWS) {
        throw new InvalidAccessToken("token is not a compact JWS");
      }
      return verifiedJwts.remember(token, verifyJws(parseJws(token)));
    }
    if (dots == 4) {
      throw new InvalidAccessToken("encrypted (JWE) tokens are not accepted");
    }
    return introspect(token);
  }

  private VerifiedAccessToken verifyJws(ParsedJws jwt) {
    refuseKeysFromTheToken(jwt.getHeader());
    if (jwt.getHeader().getCriticalParams() != null) {
      throw new InvalidAccessToken("crit header parameters are not supported");
    }
    String issuer;
    try {
      issuer = jwt.getJWTClaimsSet().getIssuer(); // unverified: only picks whose keys to try
    } catch (ParseException e) {
      throw new InvalidAccessToken("claims are not a JSON object", e);
    }
    if (issuer == null) {
      throw new InvalidAccessToken("iss is missing");
    }
    return issuers.jwtIssuer(issuer)
        .orElseThrow(() -> new InvalidAccessToken("iss is not a trusted issuer"))
        .verifyJwt(jwt);
  }

  /** RFC 8725 3.10: keys named or carried by the token itself are never fetched or trusted. */
  private static void refuseKeysFromTheToken(JWSHeader header) {
    if (header.getJWKURL() != null || header.getJWK() != null
        || header.getX509CertURL() != null || header.getX509CertChain() != null) {
      throw new InvalidAccessToken("header points at keys (jku/jwk/x5u/x5c)");
    }
  }

  private VerifiedAccessToken introspect(String token) {
    List<TrustedIssuer> opaque = issuers.opaqueIssuers();
    if (opaque.isEmpty()) {
      throw new InvalidAccessToken("token is not a signed JWT");
    }
    IdentityProviderUnavailable unavailable = null;
    for (TrustedIssuer issuer : opaque) {
      try {
        Optional<VerifiedAccessToken> active = issuer.introspect(token);
        if (active.isPresent()) {
          return active.get();
        }
      } catch (IdentityProviderUnavailable e) {
        unavailable = e; // another issuer may still know the token
      }
    }
    if (unavailable != null) {
      throw unavailable;
    }
    throw new InvalidAccessToken("no trusted issuer calls the token active");
  }

  private static ParsedJws parseJws(String token) {
    try {
      return ParsedJws.of(token); // refuses alg "none" and unknown header forms
    } catch (ParseException e) {
      throw new InvalidAccessToken("token is not a signed JWT", e);
    }
  }
}
