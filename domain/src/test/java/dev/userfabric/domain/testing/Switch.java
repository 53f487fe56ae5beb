package dev.userfabric.domain.testing;

import java.util.concurrent.atomic.AtomicBoolean;

/** Lets a test take a fake dependency down and bring it back. */
abstract class Switch {

  private final AtomicBoolean up = new AtomicBoolean(true);

  public void goDown() {
    up.set(false);
  }

  public void comeBack() {
    up.set(true);
  }

  boolean isDown() {
    return !up.get();
  }
}
