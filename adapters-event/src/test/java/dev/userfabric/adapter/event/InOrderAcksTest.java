package dev.userfabric.adapter.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The hand-off between a thread writing an ack and one that finishes meanwhile, which a real
 * broker cannot hold still long enough to test: here the channel's ack write blocks until
 * released. {@link InOrderAcksIT} checks the acks against the broker.
 */
class InOrderAcksTest {

  private final CountDownLatch firstAckWriting = new CountDownLatch(1);
  private final CountDownLatch releaseFirstAck = new CountDownLatch(1);
  private final List<Long> ackedUpTo = new CopyOnWriteArrayList<>();

  /** A channel whose first {@code basicAck} waits for {@link #releaseFirstAck}. */
  private final Channel channel = (Channel) Proxy.newProxyInstance(Channel.class.getClassLoader(),
      new Class<?>[] {Channel.class}, (proxy, method, args) -> {
        if (!method.getName().equals("basicAck")) {
          throw new UnsupportedOperationException(method.getName());
        }
        assertEquals(true, args[1], "acks cover every delivery before them");
        if (ackedUpTo.isEmpty() && firstAckWriting.getCount() > 0) {
          firstAckWriting.countDown();
          assertTrue(releaseFirstAck.await(10, TimeUnit.SECONDS));
        }
        ackedUpTo.add((Long) args[0]);
        return null;
      });

  @Test
  void aDeliveryFinishedWhileAnotherAckIsWrittenIsAckedByThatWriter() throws Exception {
    InOrderAcks acks = new InOrderAcks(channel);
    acks.received(1);
    acks.received(2);
    Thread writer = Thread.ofPlatform().start(() -> {
      try {
        acks.done(1);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertTrue(firstAckWriting.await(10, TimeUnit.SECONDS));

    Thread second = Thread.ofPlatform().start(() -> {
      try {
        acks.done(2);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    second.join(TimeUnit.SECONDS.toMillis(10));
    assertEquals(false, second.isAlive(), "the second returned without waiting for the socket write");
    assertEquals(List.of(), ackedUpTo, "and wrote nothing itself");

    releaseFirstAck.countDown();
    writer.join(TimeUnit.SECONDS.toMillis(10));
    assertEquals(List.of(1L, 2L), ackedUpTo, "the writer looked again and acked the second too");
  }

  @Test
  void idleEachDeliveryIsAckedAsItFinishes() throws Exception {
    InOrderAcks acks = writingAtOnce(3);
    acks.done(1);
    acks.done(3); // 2 unfinished: nothing more may be acked
    assertEquals(List.of(1L), ackedUpTo);
    acks.done(2);
    assertEquals(List.of(1L, 3L), ackedUpTo, "one ack covers 2 and 3");
  }

  @Test
  void deliveriesDoneBehindOneSettledByItselfAreAckedWhenItIsSettled() throws Exception {
    InOrderAcks acks = writingAtOnce(3);
    acks.done(2);
    acks.done(3);
    assertEquals(List.of(), ackedUpTo, "1 is unfinished");
    acks.settledAlone(1); // parked: on a quiet queue no later delivery would carry 2 and 3
    assertEquals(List.of(3L), ackedUpTo);
  }

  @Test
  void aDeliveryWhoseChannelIsLostWritesNothing() throws Exception {
    InOrderAcks acks = writingAtOnce(2);
    acks.done(2);
    acks.lost(1); // a recovered channel numbers its deliveries anew: an ack of 2 could hit another
    assertEquals(List.of(), ackedUpTo);
  }

  @Test
  void aDeliverySettledByItselfIsNeverCoveredByALaterAck() throws Exception {
    InOrderAcks acks = writingAtOnce(3);
    acks.settledAlone(3);
    acks.done(1);
    acks.done(2);
    assertEquals(List.of(1L, 2L), ackedUpTo);
  }

  /** Acks over a channel that writes at once, holding deliveries 1 to {@code deliveries}. */
  private InOrderAcks writingAtOnce(int deliveries) {
    releaseFirstAck.countDown();
    InOrderAcks acks = new InOrderAcks(channel);
    for (long tag = 1; tag <= deliveries; tag++) {
      acks.received(tag);
    }
    return acks;
  }
}
