package dev.userfabric.domain.testing;

import dev.userfabric.domain.port.out.LinkIndex;

class InMemoryLinkIndexTest extends LinkIndexContract {

  private final InMemoryLinkIndex index = new InMemoryLinkIndex();

  @Override
  protected LinkIndex index() {
    return index;
  }
}
