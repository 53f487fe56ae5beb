package dev.userfabric.domain.port.in;

import dev.userfabric.domain.model.UserEvent;
import java.util.Objects;

/** A user event taken from the queue (or replayed from the log). */
public record ApplyUserEventCommand(UserEvent event) {

  public ApplyUserEventCommand {
    Objects.requireNonNull(event, "event must not be null");
  }
}
