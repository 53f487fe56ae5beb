package dev.userfabric.domain.testing;

import dev.userfabric.domain.model.AccessToken;
import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.model.IdentityProviderUnavailable;
import dev.userfabric.domain.model.InvalidAccessToken;
import dev.userfabric.domain.port.out.AccessTokenVerifier;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Accepts exactly the tokens it was given, each for a fixed identity. */
public final class FixedAccessTokenVerifier extends Switch implements AccessTokenVerifier {

  private final Map<String, Identity> identities = new ConcurrentHashMap<>();

  public FixedAccessTokenVerifier accept(String token, Identity identity) {
    identities.put(token, identity);
    return this;
  }

  @Override
  public Identity verify(AccessToken accessToken) {
    if (isDown()) {
      throw new IdentityProviderUnavailable("identity provider is down (test)");
    }
    Identity identity = identities.get(accessToken.value());
    if (identity == null) {
      throw new InvalidAccessToken("unknown token (test)");
    }
    return identity;
  }
}
