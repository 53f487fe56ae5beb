package dev.userfabric.adapter.event;

import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Acknowledges one channel's deliveries many at a time, and never one before every delivery
 * received ahead of it is settled. Deliveries are stored concurrently and finish in any order; an
 * ack with {@code multiple} covers every delivery up to its tag, so it is sent only for the
 * longest settled prefix. Whoever finishes while another ack is being written leaves theirs to the
 * next writer, which covers them all: under load one ack frame (one write to the socket and one
 * command for the broker) settles a whole run, idle it settles each delivery as soon as it can.
 *
 * <p>A delivery that is rejected, requeued or parked is settled on its own first and then
 * {@linkplain #settledAlone marked}, so that no later ack covers it; one whose channel is lost
 * is {@linkplain #lost passed over}.
 */
final class InOrderAcks {

  private final Channel channel;
  private final ArrayDeque<Long> received = new ArrayDeque<>(); // in delivery order, not yet passed
  private final Set<Long> finished = new HashSet<>();
  private final Set<Long> alone = new HashSet<>();
  private long ackable; // the highest tag an ack may cover; 0: none
  private volatile long acked; // the highest tag already covered; written holding the lock
  private final ReentrantLock writing = new ReentrantLock();

  InOrderAcks(Channel channel) {
    this.channel = channel;
  }

  /** Called on the consumer's thread, in delivery order, before the delivery is handed on. */
  synchronized void received(long tag) {
    received.addLast(tag);
  }

  /**
   * The delivery is stored: acknowledge it with every settled one before it. When another thread
   * is writing an ack now this returns at once: that writer looks again once its write is done,
   * and acks what settled meanwhile, this delivery too.
   *
   * @throws IOException when the ack could not be sent (the broker will redeliver)
   */
  void done(long tag) throws IOException {
    settle(tag, false);
    flush();
  }

  /** As {@link #done(long)} for several deliveries stored together: at most one ack for them. */
  void done(List<Long> tags) throws IOException {
    for (long tag : tags) {
      settle(tag, false);
    }
    flush();
  }

  /**
   * The delivery was settled by itself on this channel (rejected, requeued, parked): the done
   * deliveries behind it are acked now, not with the next one to finish, as on a quiet queue
   * there may be none.
   *
   * @throws IOException when their ack could not be sent (the broker will redeliver them)
   */
  void settledAlone(long tag) throws IOException {
    settle(tag, true);
    flush();
  }

  /**
   * The delivery's channel is gone, or is about to be closed: it is passed over, and nothing is
   * written for it (a recovered channel numbers its deliveries anew).
   */
  void lost(long tag) {
    settle(tag, true);
  }

  private void flush() throws IOException {
    // Blocking on the writer instead had every finishing delivery of a busy driver queue up
    // behind the socket write (seen with JFR as monitor spinning in the driver's threads).
    while (ackable() > acked && writing.tryLock()) {
      try {
        long upTo = ackable();
        if (upTo > acked) {
          channel.basicAck(upTo, true);
          acked = upTo;
        }
      } finally {
        writing.unlock();
      }
    }
  }

  private synchronized long ackable() {
    return ackable;
  }

  private synchronized void settle(long tag, boolean byItself) {
    finished.add(tag);
    if (byItself) {
      alone.add(tag);
    }
    while (!received.isEmpty() && finished.remove(received.peekFirst())) {
      long passed = received.removeFirst();
      if (!alone.remove(passed)) {
        ackable = passed;
      }
    }
  }
}
