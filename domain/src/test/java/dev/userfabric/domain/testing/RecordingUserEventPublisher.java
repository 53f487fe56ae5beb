package dev.userfabric.domain.testing;

import dev.userfabric.domain.model.EventPublishFailed;
import dev.userfabric.domain.model.UserEvent;
import dev.userfabric.domain.port.out.UserEventPublisher;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every event it is asked to publish; when down, refuses like an unconfirmed broker. */
public final class RecordingUserEventPublisher extends Switch implements UserEventPublisher {

  private final List<UserEvent> published = new CopyOnWriteArrayList<>();

  @Override
  public void publish(UserEvent event) {
    if (isDown()) {
      throw new EventPublishFailed("broker is down (test)");
    }
    published.add(event);
  }

  public List<UserEvent> published() {
    return List.copyOf(published);
  }
}
