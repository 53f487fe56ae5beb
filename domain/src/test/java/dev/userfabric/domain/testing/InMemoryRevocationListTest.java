package dev.userfabric.domain.testing;

import dev.userfabric.domain.port.out.RevocationList;

class InMemoryRevocationListTest extends RevocationListContract {

  private final InMemoryRevocationList revocations = new InMemoryRevocationList();

  @Override
  protected RevocationList revocations() {
    return revocations;
  }
}
