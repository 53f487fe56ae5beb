package dev.userfabric.adapter.cache;

import dev.userfabric.domain.port.out.UserCache;
import dev.userfabric.domain.testing.UserCacheContract;

class InProcessUserCacheTest extends UserCacheContract {

  private final InProcessUserCache cache = new InProcessUserCache();

  @Override
  protected UserCache cache() {
    return cache;
  }
}
