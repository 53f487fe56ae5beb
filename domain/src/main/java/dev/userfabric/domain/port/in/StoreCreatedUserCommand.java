package dev.userfabric.domain.port.in;

import dev.userfabric.domain.model.UserCreated;
import java.util.Objects;

/** A UserCreated event taken from the queue. */
public record StoreCreatedUserCommand(UserCreated event) {

  public StoreCreatedUserCommand {
    Objects.requireNonNull(event, "event must not be null");
  }
}
