package dev.userfabric.domain.testing;

import dev.userfabric.domain.model.AccessToken;
import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.model.IdentityProviderUnavailable;
import dev.userfabric.domain.model.InvalidAccessToken;
import dev.userfabric.domain.model.VerifiedAccessToken;
import dev.userfabric.domain.port.out.AccessTokenVerifier;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Accepts exactly the tokens it was given, each as a fixed verified token. */
public final class FixedAccessTokenVerifier extends Switch implements AccessTokenVerifier {

  private final Map<String, VerifiedAccessToken> tokens = new ConcurrentHashMap<>();

  /** A person's token for the identity, granting no scopes. */
  public FixedAccessTokenVerifier accept(String token, Identity identity) {
    return accept(token, Tokens.personal(identity, token));
  }

  public FixedAccessTokenVerifier accept(String token, VerifiedAccessToken verified) {
    tokens.put(token, verified);
    return this;
  }

  @Override
  public VerifiedAccessToken verify(AccessToken accessToken) {
    if (isDown()) {
      throw new IdentityProviderUnavailable("identity provider is down (test)");
    }
    VerifiedAccessToken verified = tokens.get(accessToken.value());
    if (verified == null) {
      throw new InvalidAccessToken("unknown token (test)");
    }
    return verified;
  }
}
