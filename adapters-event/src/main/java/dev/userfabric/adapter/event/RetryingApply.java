package dev.userfabric.adapter.event;

import dev.userfabric.adapter.event.RabbitSettings.ConsumerRetry;
import dev.userfabric.domain.model.CacheUnavailable;
import dev.userfabric.domain.model.CorruptUserRecord;
import dev.userfabric.domain.model.InvalidUserData;
import dev.userfabric.domain.model.UserEvent;
import dev.userfabric.domain.port.in.ApplyUserEventCommand;
import dev.userfabric.domain.port.in.ApplyUserEventResult;
import dev.userfabric.domain.port.in.ApplyUserEventUseCase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one delivered event, or a batch of them, waiting out what may pass. An unreachable
 * store is not the message's fault: it is retried with growing pauses for as long as it takes. What can never
 * succeed (invalid, a corrupt stored record) is parked at once; any other failure after
 * {@code maxAttempts}. A batch is retried whole while the store is unreachable; any other failure
 * cannot be pinned on one of its events, so they are then applied one by one.
 */
final class RetryingApply {

  private static final Logger log = LoggerFactory.getLogger(RetryingApply.class);

  /** What to do with the delivery. */
  sealed interface Outcome {
    /** Applied, or found stale: acknowledge. */
    record Done(ApplyUserEventResult result) implements Outcome {}

    /** Can never succeed: dead-letter it with the reason. */
    record Park(String reason) implements Outcome {}

    /** Shutting down before it could be applied: back to the queue, untouched. */
    record GiveBack() implements Outcome {}

    /** Its channel is gone: the broker has requeued it already. */
    record Lost() implements Outcome {}
  }

  /** What to do with a batch of deliveries. */
  sealed interface BatchOutcome {
    /** Each applied or found stale, in order: acknowledge them all. */
    record Done(List<ApplyUserEventResult> results) implements BatchOutcome {}

    /** A failure not of the store's reach: apply each alone, so that only its cause is parked. */
    record OneByOne() implements BatchOutcome {}

    /** Shutting down before they could be applied: back to the queue, untouched. */
    record GiveBack() implements BatchOutcome {}

    /** Their channel is gone: the broker has requeued them already. */
    record Lost() implements BatchOutcome {}
  }

  private final ApplyUserEventUseCase applyUserEvent;
  private final ConsumerRetry retry;
  private final CountDownLatch closing;

  RetryingApply(ApplyUserEventUseCase applyUserEvent, ConsumerRetry retry, CountDownLatch closing) {
    this.applyUserEvent = applyUserEvent;
    this.retry = retry;
    this.closing = closing;
  }

  /** @param stillHeld whether the delivery is still ours to settle (its channel is alive) */
  Outcome apply(UserEvent event, BooleanSupplier stillHeld) {
    Duration pause = retry.firstPause();
    int attempts = 0;
    while (closing.getCount() > 0) {
      if (!stillHeld.getAsBoolean()) {
        return new Outcome.Lost();
      }
      try {
        return new Outcome.Done(applyUserEvent.apply(new ApplyUserEventCommand(event)));
      } catch (InvalidUserData | CorruptUserRecord e) {
        return new Outcome.Park(e.getClass().getSimpleName() + ": " + e.getMessage());
      } catch (CacheUnavailable e) {
        log.warn("user store unavailable; event {} waits {} ms ({})", event.eventId(), pause.toMillis(),
            e.getMessage());
      } catch (RuntimeException e) {
        attempts++;
        if (attempts >= retry.maxAttempts()) {
          return new Outcome.Park("failed " + attempts + " times: " + e);
        }
        log.warn("event {} failed (attempt {} of {}); retrying in {} ms", event.eventId(), attempts,
            retry.maxAttempts(), pause.toMillis(), e);
      }
      if (awaitClosing(pause)) {
        break;
      }
      pause = next(pause);
    }
    return new Outcome.GiveBack();
  }

  /** @param stillHeld whether the deliveries are still ours to settle (their channel is alive) */
  BatchOutcome applyAll(List<UserEvent> events, BooleanSupplier stillHeld) {
    List<ApplyUserEventCommand> commands = events.stream().map(ApplyUserEventCommand::new).toList();
    Duration pause = retry.firstPause();
    while (closing.getCount() > 0) {
      if (!stillHeld.getAsBoolean()) {
        return new BatchOutcome.Lost();
      }
      try {
        return new BatchOutcome.Done(applyUserEvent.applyAll(commands));
      } catch (CacheUnavailable e) {
        log.warn("user store unavailable; {} events wait {} ms ({})", events.size(), pause.toMillis(), e.getMessage());
      } catch (RuntimeException e) {
        log.debug("a batch of {} events failed ({}); applying them one by one", events.size(), e.toString());
        return new BatchOutcome.OneByOne();
      }
      if (awaitClosing(pause)) {
        break;
      }
      pause = next(pause);
    }
    return new BatchOutcome.GiveBack();
  }

  private Duration next(Duration pause) {
    return pause.multipliedBy(2).compareTo(retry.maxPause()) > 0 ? retry.maxPause() : pause.multipliedBy(2);
  }

  private boolean awaitClosing(Duration pause) {
    try {
      return closing.await(pause.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }
}
