package dev.userfabric.adapter.event;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userfabric.domain.model.User;
import dev.userfabric.domain.model.UserCreated;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** Waiting helpers shared by the RabbitMQ tests; every wait fails loudly when it runs out. */
final class RabbitTesting {

  private RabbitTesting() {}

  static void awaitReady(RabbitConnection connection) throws Exception {
    eventually(Duration.ofSeconds(30), connection::isReady);
  }

  static UserCreated eventFor(User user) {
    return new UserCreated(UUID.randomUUID(), Instant.parse("2026-11-21T09:00:00Z"), user);
  }

  static void eventually(Duration within, Condition condition) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.holds()) {
      assertTrue(System.nanoTime() < deadline, "condition not met within " + within);
      Thread.sleep(20);
    }
  }

  interface Condition {
    boolean holds() throws Exception;
  }
}
