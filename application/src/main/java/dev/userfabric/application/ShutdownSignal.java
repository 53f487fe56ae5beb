package dev.userfabric.application;

import dev.userfabric.adapter.rpc.ServingHealth;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerShutdownEvent;
import jakarta.inject.Singleton;

/**
 * The first step of a graceful stop (SIGTERM): the gRPC server announces it is stopping, before
 * it stops taking calls and waits for those in progress (grpc.server.await-termination); health
 * turns NOT_SERVING at that moment. The event driver and the publisher then drain as their beans
 * close.
 */
@Singleton
final class ShutdownSignal implements ApplicationEventListener<ServerShutdownEvent> {

  private final ServingHealth health;

  ShutdownSignal(ServingHealth health) {
    this.health = health;
  }

  @Override
  public void onApplicationEvent(ServerShutdownEvent event) {
    health.enterShutdown();
  }
}
