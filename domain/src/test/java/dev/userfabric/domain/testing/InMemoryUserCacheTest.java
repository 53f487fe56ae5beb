package dev.userfabric.domain.testing;

import dev.userfabric.domain.port.out.UserCache;

class InMemoryUserCacheTest extends UserCacheContract {

  private final InMemoryUserCache cache = new InMemoryUserCache();

  @Override
  protected UserCache cache() {
    return cache;
  }
}
