package dev.userfabric.testing.faults;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/** Loopback ports for the servers a fault test starts itself. */
public final class FreePorts {

  private FreePorts() {}

  public static int next() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free loopback port", e);
    }
  }

  /** Waits until something accepts connections on the port, or fails loudly. */
  public static void awaitListening(int port, Duration within, String what) {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        // With nothing listening, a loopback connect from the same ephemeral port "succeeds"
        // against itself (TCP simultaneous open): that is not the server.
        if (socket.getLocalPort() != port) {
          return;
        }
      } catch (IOException notYet) {
        sleep(100);
      }
    }
    throw new IllegalStateException(what + " did not listen on port " + port + " within " + within);
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
