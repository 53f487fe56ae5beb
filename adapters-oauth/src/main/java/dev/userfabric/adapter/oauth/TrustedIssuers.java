package dev.userfabric.adapter.oauth;

import dev.userfabric.domain.model.AccessToken;
import dev.userfabric.domain.model.UserProfile;
import dev.userfabric.domain.model.VerifiedAccessToken;
import dev.userfabric.domain.port.out.AccessTokenVerifier;
import dev.userfabric.domain.port.out.UserProfileProvider;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The allow-list of identity providers. A token is checked only by the issuer it names, with that
 * issuer's keys; opaque tokens are introspected by the opaque-token issuers in configuration
 * order. A profile is fetched from the issuer that vouched for the token.
 */
public final class TrustedIssuers {

  private final Map<String, TrustedIssuer> byIssuer = new LinkedHashMap<>();

  public TrustedIssuers(List<IssuerSettings> issuers) {
    this(issuers, InstantSource.system());
  }

  TrustedIssuers(List<IssuerSettings> issuers, InstantSource clock) {
    if (issuers.isEmpty()) {
      throw new IllegalArgumentException("at least one issuer must be trusted");
    }
    for (IssuerSettings settings : issuers) {
      if (byIssuer.putIfAbsent(settings.issuerId(), new TrustedIssuer(settings, clock)) != null) {
        throw new IllegalArgumentException("issuer " + settings.issuerId() + " is configured twice");
      }
    }
  }

  public List<IssuerSettings> settings() {
    return byIssuer.values().stream().map(TrustedIssuer::settings).toList();
  }

  /** Checks access tokens against these issuers. */
  public AccessTokenVerifier accessTokenVerifier() {
    return new OAuthAccessTokenVerifier(this);
  }

  /** Fetches profiles from the issuer that vouched for the token. */
  public UserProfileProvider userProfileProvider() {
    return this::profile;
  }

  Optional<TrustedIssuer> jwtIssuer(String issuer) {
    return Optional.ofNullable(byIssuer.get(issuer))
        .filter(trusted -> trusted.settings().tokenFormat() == IssuerSettings.TokenFormat.JWT);
  }

  List<TrustedIssuer> opaqueIssuers() {
    return byIssuer.values().stream()
        .filter(trusted -> trusted.settings().tokenFormat() == IssuerSettings.TokenFormat.OPAQUE)
        .toList();
  }

  private UserProfile profile(AccessToken accessToken, VerifiedAccessToken verified) {
    TrustedIssuer issuer = byIssuer.get(verified.identity().issuer());
    if (issuer == null) { // cannot happen for tokens we verified; refuse rather than guess
      throw new IllegalStateException("a verified token names an issuer we do not trust"); // our bug
    }
    return issuer.profile(accessToken, verified);
  }
}
