package dev.userfabric.domain.port.out;

import dev.userfabric.domain.model.EventPublishFailed;
import dev.userfabric.domain.model.UserEvent;

/** Announces user events to whoever listens (our event driver, and other services). */
public interface UserEventPublisher {

  /**
   * Returns only once the event is durably accepted (for a broker: routed and confirmed).
   *
   * @throws EventPublishFailed when that confirmation cannot be had
   */
  void publish(UserEvent event);
}
