package dev.userfabric.adapter.event;

import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import dev.userfabric.domain.model.EventPublishFailed;
import dev.userfabric.domain.model.UserCreated;
import dev.userfabric.domain.port.out.UserEventPublisher;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes UserCreated to the events exchange: persistent, mandatory, with publisher confirms.
 * {@link #publish} returns only once the broker has routed and confirmed the message. Callers
 * share one channel: sending is serialised (a channel is not thread-safe), waiting for the confirm
 * is not, so many confirms are in flight at once.
 */
public final class RabbitUserEventPublisher implements UserEventPublisher {

  private final RabbitConnection connection;
  private final EventTopology topology;
  private final long confirmTimeoutMillis;
  private final ConcurrentNavigableMap<Long, CompletableFuture<Void>> unconfirmed =
      new ConcurrentSkipListMap<>();
  private final Map<String, CompletableFuture<Void>> byMessageId = new ConcurrentHashMap<>();
  private Channel channel;

  public RabbitUserEventPublisher(RabbitConnection connection) {
    this.connection = connection;
    this.topology = connection.settings().topology();
    this.confirmTimeoutMillis = connection.settings().confirmTimeout().toMillis();
  }

  @Override
  public void publish(UserCreated event) {
    CompletableFuture<Void> confirmed = send(event);
    try {
      confirmed.get(confirmTimeoutMillis, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new EventPublishFailed("broker did not accept event " + event.eventId(), e.getCause());
    } catch (TimeoutException e) {
      throw new EventPublishFailed("no confirm for event " + event.eventId() + " in time", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EventPublishFailed("interrupted waiting for a confirm", e);
    } finally {
      byMessageId.remove(event.eventId().toString());
    }
  }

  private synchronized CompletableFuture<Void> send(UserCreated event) {
    CompletableFuture<Void> confirmed = new CompletableFuture<>();
    String messageId = event.eventId().toString();
    try {
      Channel open = openChannel();
      long sequence = open.getNextPublishSeqNo();
      unconfirmed.put(sequence, confirmed);
      byMessageId.put(messageId, confirmed);
      open.basicPublish(topology.exchange(), topology.routingKey(), true,
          UserCreatedCodec.properties(event), UserCreatedCodec.encode(event));
    } catch (IOException | AlreadyClosedException e) {
      confirmed.completeExceptionally(e);
    }
    return confirmed;
  }

  private Channel openChannel() throws IOException {
    if (channel != null && channel.isOpen()) {
      return channel;
    }
    if (channel != null) {
      channel.abort(); // a channel closed by an error is not coming back; stop its recovery
    }
    Channel opened = connection.openChannel();
    opened.confirmSelect();
    // The broker sends basic.return before the ack of an unroutable mandatory message, so the
    // failure is recorded first and the later ack cannot turn it into a success.
    opened.addReturnListener(returned -> {
      CompletableFuture<Void> future = byMessageId.get(returned.getProperties().getMessageId());
      if (future != null) {
        future.completeExceptionally(new IOException(
            "unroutable: " + returned.getReplyCode() + " " + returned.getReplyText()));
      }
    });
    opened.addConfirmListener(
        (sequence, multiple) -> settle(sequence, multiple, null),
        (sequence, multiple) -> settle(sequence, multiple, new IOException("broker nacked")));
    opened.addShutdownListener(cause -> failAll(cause));
    channel = opened;
    return opened;
  }

  private void settle(long sequence, boolean multiple, Exception failure) {
    Map<Long, CompletableFuture<Void>> settled =
        multiple ? unconfirmed.headMap(sequence, true) : subMap(sequence);
    settled.values().forEach(future -> {
      if (failure == null) {
        future.complete(null);
      } else {
        future.completeExceptionally(failure);
      }
    });
    settled.clear();
  }

  private Map<Long, CompletableFuture<Void>> subMap(long sequence) {
    return unconfirmed.subMap(sequence, true, sequence, true);
  }

  private void failAll(Exception cause) {
    unconfirmed.values().forEach(future -> future.completeExceptionally(cause));
    unconfirmed.clear();
  }
}
