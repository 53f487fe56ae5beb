package dev.userfabric.testing.faults;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/** Loopback ports for the servers a fault test starts itself. */
public final class FreePorts {

  private FreePorts() {}

  // Below the kernel's ephemeral range (net.ipv4.ip_local_port_range), from which every outgoing
  // connection of every process here takes its local port: a port the kernel hands out for
  // bind(0) is free again the moment the probe closes, and a busy build beside the tests (its
  // Redis and broker clients) could connect from it before the server binds it (seen: a gRPC
  // server's "Failed to bind" under load). Here only another explicit bind can take a port.
  private static final int LOWEST = 10_000;
  private static final int ABOVE_HIGHEST = Math.min(32_768, ephemeralRangeStart());
  // Never the same port twice in one JVM: callers often take two before binding either.
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  public static int next() {
    if (ABOVE_HIGHEST - LOWEST < 1_000) {
      return fromTheKernel(); // an unusual ephemeral range: nothing to keep clear of
    }
    for (int attempt = 0; attempt < 1_000; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOWEST, ABOVE_HIGHEST);
      if (!HANDED_OUT.contains(port) && bindable(port) && HANDED_OUT.add(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port in " + LOWEST + "-" + (ABOVE_HIGHEST - 1));
  }

  // Free on every address, as servers that bind the wildcard need it.
  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(port), 1);
      return true;
    } catch (IOException taken) {
      return false;
    }
  }

  private static int fromTheKernel() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free loopback port", e);
    }
  }

  private static int ephemeralRangeStart() {
    try {
      // By lines: Files.readString returned one character of this procfs file here.
      String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).getFirst();
      return Integer.parseInt(range.strip().split("\\s+")[0]);
    } catch (IOException | RuntimeException notLinux) {
      return 32_768; // the Linux default; macOS and Windows start at 49152
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
