package dev.userfabric.adapter.cache;

import dev.userfabric.domain.port.out.RevocationList;
import dev.userfabric.domain.testing.RevocationListContract;

class InProcessRevocationListTest extends RevocationListContract {

  private final InProcessRevocationList revocations = new InProcessRevocationList();

  @Override
  protected RevocationList revocations() {
    return revocations;
  }
}
