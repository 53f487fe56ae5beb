package dev.userfabric.adapter.event;

import dev.userfabric.domain.model.CacheUnavailable;
import dev.userfabric.domain.model.EventPublishFailed;
import dev.userfabric.domain.model.UserCreated;
import dev.userfabric.domain.port.in.StoreCreatedUserCommand;
import dev.userfabric.domain.port.in.StoreCreatedUserUseCase;
import dev.userfabric.domain.port.out.UserEventPublisher;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded stand-in for RabbitMQ: a bounded in-memory queue drained by one background thread
 * that runs the event driver, so the store still happens after CreateUser returns, as with the
 * broker. Events live only in this process; for development and tests, not production.
 */
public final class InProcessUserEventQueue implements UserEventPublisher, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(InProcessUserEventQueue.class);
  private static final Duration RETRY_PAUSE = Duration.ofMillis(500);

  private final BlockingQueue<UserCreated> queue;
  private final StoreCreatedUserUseCase storeCreatedUser;
  private final Thread driver;

  public InProcessUserEventQueue(StoreCreatedUserUseCase storeCreatedUser, int capacity) {
    this.storeCreatedUser = storeCreatedUser;
    this.queue = new LinkedBlockingQueue<>(capacity);
    this.driver = Thread.ofPlatform().daemon().name("in-process-event-driver").start(this::drain);
  }

  @Override
  public void publish(UserCreated event) {
    if (!queue.offer(event)) {
      throw new EventPublishFailed("in-process event queue is full");
    }
  }

  /** Events published but not yet stored. */
  public int pending() {
    return queue.size();
  }

  @Override
  public void close() {
    driver.interrupt();
  }

  private void drain() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        UserCreated event = queue.take();
        storeWithRetry(event);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void storeWithRetry(UserCreated event) throws InterruptedException {
    while (true) {
      try {
        storeCreatedUser.storeCreatedUser(new StoreCreatedUserCommand(event));
        return;
      } catch (CacheUnavailable e) {
        log.warn("cache unavailable; retrying event {}", event.eventId());
        Thread.sleep(RETRY_PAUSE);
      } catch (RuntimeException e) {
        log.error("dropping event {} that can never be stored: {}", event.eventId(), e.toString());
        return;
      }
    }
  }
}
