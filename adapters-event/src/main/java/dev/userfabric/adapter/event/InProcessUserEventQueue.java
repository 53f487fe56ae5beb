package dev.userfabric.adapter.event;

import dev.userfabric.domain.model.CacheUnavailable;
import dev.userfabric.domain.model.EventPublishFailed;
import dev.userfabric.domain.model.UserEvent;
import dev.userfabric.domain.port.in.ApplyUserEventCommand;
import dev.userfabric.domain.port.in.ApplyUserEventUseCase;
import dev.userfabric.domain.port.out.UserEventPublisher;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded stand-in for RabbitMQ: a bounded in-memory queue drained by one background thread
 * that runs the event driver, so the store still happens after CreateUser returns, as with the
 * broker. Events live only in this process, in publication order; for development and tests,
 * not production. There is no event log to replay: the store is as short-lived as the queue.
 */
public final class InProcessUserEventQueue implements UserEventPublisher, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(InProcessUserEventQueue.class);
  private static final Duration RETRY_PAUSE = Duration.ofMillis(500);

  private final BlockingQueue<UserEvent> queue;
  private final ApplyUserEventUseCase applyUserEvent;
  private final Thread driver;

  public InProcessUserEventQueue(ApplyUserEventUseCase applyUserEvent, int capacity) {
    this.applyUserEvent = applyUserEvent;
    this.queue = new LinkedBlockingQueue<>(capacity);
    this.driver = Thread.ofPlatform().daemon().name("in-process-event-driver").start(this::drain);
  }

  @Override
  public void publish(UserEvent event) {
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
        UserEvent event = queue.take();
        storeWithRetry(event);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void storeWithRetry(UserEvent event) throws InterruptedException {
    while (true) {
      try {
        applyUserEvent.apply(new ApplyUserEventCommand(event));
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
