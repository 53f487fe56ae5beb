package dev.userfabric.domain.testing;

import dev.userfabric.domain.model.AccessToken;
import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.model.IdentityProviderUnavailable;
import dev.userfabric.domain.model.UserProfile;
import dev.userfabric.domain.model.VerifiedAccessToken;
import dev.userfabric.domain.port.out.UserProfileProvider;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Answers with the profile it was given for an identity (empty otherwise) and counts requests. */
public final class StubUserProfileProvider extends Switch implements UserProfileProvider {

  private final Map<Identity, UserProfile> profiles = new ConcurrentHashMap<>();
  private final AtomicInteger requests = new AtomicInteger();

  public StubUserProfileProvider answer(Identity identity, UserProfile profile) {
    profiles.put(identity, profile);
    return this;
  }

  @Override
  public UserProfile fetchProfile(AccessToken accessToken, VerifiedAccessToken verified) {
    requests.incrementAndGet();
    if (isDown()) {
      throw new IdentityProviderUnavailable("userinfo is down (test)");
    }
    return profiles.getOrDefault(verified.identity(), UserProfile.EMPTY);
  }

  public int requests() {
    return requests.get();
  }
}
