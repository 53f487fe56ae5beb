package dev.userfabric.testing.faults;

import java.util.ArrayList;
import java.util.List;

/** What a fault test started, closed in reverse order when the test ends, whatever happened. */
public final class Cleanup implements AutoCloseable {

  private final List<AutoCloseable> started = new ArrayList<>();

  public void add(AutoCloseable closeable) {
    started.add(closeable);
  }

  @Override
  public void close() throws Exception {
    Exception first = null;
    for (AutoCloseable closeable : started.reversed()) {
      try {
        closeable.close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    started.clear();
    if (first != null) {
      throw first;
    }
  }
}
