package dev.userfabric.application;

import io.micronaut.runtime.Micronaut;

/** Starts the service: the gRPC server, the event driver and whatever they are wired to. */
public final class UserFabricApplication {

  private UserFabricApplication() {}

  public static void main(String[] args) {
    Micronaut.run(UserFabricApplication.class, args);
  }
}
