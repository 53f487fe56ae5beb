package dev.userfabric.testing.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on a free loopback port in front of a real server, to break the network between a
 * client and that server without touching the server: {@link #cut()} resets every connection,
 * {@link #refuse()} also refuses new ones until {@link #accept()}, {@link #stall()} keeps
 * connections open but stops forwarding bytes (a black hole) until {@link #resume()}.
 */
public final class TcpProxy implements AutoCloseable {

  private final InetSocketAddress target;
  private final int port;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private volatile ServerSocket listening;
  private volatile Thread accepting;
  private volatile boolean stalled;
  private volatile boolean closed;

  public TcpProxy(String host, int targetPort) throws IOException {
    this.target = new InetSocketAddress(host, targetPort);
    ServerSocket server = bind(0);
    this.port = server.getLocalPort();
    listen(server);
  }

  public int port() {
    return port;
  }

  /** Resets every open connection through the proxy; new ones are still accepted. */
  public void cut() {
    for (Socket socket : sockets) {
      reset(socket);
    }
    sockets.clear();
  }

  private static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0); // RST, as a crashed peer or a dropped link would look
      socket.close();
    } catch (IOException ignored) {
      // already gone
    }
  }

  /**
   * Cuts every connection and refuses new ones: the server looks down. When this returns, the
   * port is closed and no connection accepted before can still be forwarded.
   */
  public synchronized void refuse() throws IOException {
    ServerSocket current = listening;
    Thread acceptor = accepting;
    listening = null;
    accepting = null;
    if (current != null) {
      current.close();
    }
    if (acceptor != null) {
      // The kernel keeps a socket listening until the thread blocked in accept() has left it, and
      // a connection that arrives meanwhile is accepted: wait until it has left.
      try {
        acceptor.join(Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    cut();
  }

  /** Accepts connections again after {@link #refuse()}. */
  public synchronized void accept() throws IOException {
    if (listening == null) {
      listen(bind(port));
    }
  }

  /** Keeps connections open but forwards nothing: the server looks hung. */
  public void stall() {
    stalled = true;
  }

  public void resume() {
    stalled = false;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    refuse();
  }

  private ServerSocket bind(int onPort) throws IOException {
    ServerSocket server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort));
    return server;
  }

  private void listen(ServerSocket server) {
    listening = server;
    accepting = Thread.ofPlatform().daemon().name("tcp-proxy-" + port).start(() -> {
      while (!closed && !server.isClosed()) {
        try {
          Socket client = server.accept();
          if (listening != server) {
            reset(client); // accepted while refuse() was closing the port: the server is down
            continue;
          }
          Socket upstream = new Socket();
          try {
            upstream.connect(target, 2_000);
          } catch (IOException e) {
            client.close();
            continue;
          }
          sockets.add(client);
          sockets.add(upstream);
          pump(client, upstream);
          pump(upstream, client);
        } catch (IOException e) {
          // closed by refuse(), or a client gave up
        }
      }
    });
  }

  private void pump(Socket from, Socket to) {
    Thread.ofPlatform().daemon().name("tcp-proxy-pump").start(() -> {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int read;
        while ((read = in.read(buffer)) != -1) {
          while (stalled && !from.isClosed()) {
            Thread.sleep(10);
          }
          out.write(buffer, 0, read);
          out.flush();
        }
      } catch (IOException | InterruptedException e) {
        // one side went away
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    });
  }

  private void closeQuietly(Socket socket) {
    sockets.remove(socket);
    try {
      socket.close();
    } catch (SocketException ignored) {
      // already closed
    } catch (IOException ignored) {
      // nothing more to do
    }
  }
}
