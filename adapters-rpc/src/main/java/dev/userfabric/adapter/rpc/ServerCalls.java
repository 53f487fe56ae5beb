package dev.userfabric.adapter.rpc;

import io.grpc.ServerBuilder;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Where the services' calls run. */
public final class ServerCalls {

  private static final ExecutorService VIRTUAL_THREADS =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("grpc-call-", 0).factory());

  private ServerCalls() {}

  /**
   * Runs every call's callbacks on virtual threads: the use cases block on Redis, the identity
   * provider and the broker, and a virtual thread waiting costs no platform thread. gRPC still
   * runs one call's callbacks one at a time, in order.
   */
  public static ServerBuilder<?> onVirtualThreads(ServerBuilder<?> builder) {
    return builder.executor(VIRTUAL_THREADS);
  }
}
