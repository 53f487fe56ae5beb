package dev.userfabric.application.bench;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Drives one unary method with asynchronous calls on one channel: issued and completed on the
 * channel's event loop (the channel must use a direct executor), never a thread per call.
 * Closed loop (C outstanding, the next call as one ends) for the rate; open loop (a fixed rate,
 * latency counted from when each call was due, so a stall is not hidden) for latency.
 */
final class LoadGenerator<Q, R> {

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final ManagedChannel channel;
  private final MethodDescriptor<Q, R> method;
  private final Q request;

  LoadGenerator(ManagedChannel channel, MethodDescriptor<Q, R> method, Q request) {
    this.channel = channel;
    this.method = method;
    this.request = request;
  }

  /** What one phase did. */
  record Result(long calls, long ok, Map<String, Long> errors, Histogram latency, long wallNanos) {

    double rate() {
      return calls * 1e9 / wallNanos;
    }

    String latencyMillis() {
      return String.format("p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f ms",
          latency.getValueAtPercentile(50) / 1e6, latency.getValueAtPercentile(90) / 1e6,
          latency.getValueAtPercentile(99) / 1e6, latency.getValueAtPercentile(99.9) / 1e6);
    }
  }

  /**
   * @param tokens the bearer token of call number i, or null when there are no more
   */
  Result closedLoop(int outstanding, long durationNanos, IntFunction<String> tokens) throws InterruptedException {
    Tally tally = new Tally();
    AtomicInteger next = new AtomicInteger();
    long started = System.nanoTime();
    long end = started + durationNanos;
    CountDownLatch done = new CountDownLatch(outstanding);
    for (int i = 0; i < outstanding; i++) {
      issueNext(next, tokens, end, tally, done);
    }
    done.await();
    return tally.result(System.nanoTime() - started);
  }

  private void issueNext(AtomicInteger next, IntFunction<String> tokens, long end, Tally tally, CountDownLatch done) {
    String token = System.nanoTime() < end ? tokens.apply(next.getAndIncrement()) : null;
    if (token == null) {
      done.countDown();
      return;
    }
    long sent = System.nanoTime();
    call(token, status -> {
      tally.record(status, System.nanoTime() - sent);
      issueNext(next, tokens, end, tally, done);
    });
  }

  Result openLoop(double perSecond, long durationNanos, IntFunction<String> tokens) throws InterruptedException {
    Tally tally = new Tally();
    long intervalNanos = (long) (1e9 / perSecond);
    long started = System.nanoTime();
    long total = durationNanos / intervalNanos;
    AtomicLong inFlight = new AtomicLong();
    for (long i = 0; i < total; i++) {
      long due = started + i * intervalNanos;
      long wait = due - System.nanoTime();
      if (wait > 200_000) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      String token = tokens.apply((int) i);
      if (token == null) {
        break;
      }
      inFlight.incrementAndGet();
      call(token, status -> {
        tally.record(status, System.nanoTime() - due);
        inFlight.decrementAndGet();
      });
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(1);
    }
    return tally.result(System.nanoTime() - started);
  }

  private interface Completion {
    void done(Status status);
  }

  private void call(String token, Completion completion) {
    ClientCall<Q, R> call = channel.newCall(method, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS));
    Metadata headers = new Metadata();
    if (!token.isEmpty()) {
      headers.put(AUTHORIZATION, "Bearer " + token);
    }
    call.start(new ClientCall.Listener<>() {
      @Override
      public void onClose(Status status, Metadata trailers) {
        completion.done(status);
      }
    }, headers);
    call.request(1);
    call.sendMessage(request);
    call.halfClose();
  }

  private static final class Tally {
    private final LongAdder calls = new LongAdder();
    private final LongAdder ok = new LongAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final ConcurrentHistogram latency = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(60), 3);

    void record(Status status, long nanos) {
      calls.increment();
      if (status.isOk()) {
        ok.increment();
      } else {
        errors.computeIfAbsent(status.getCode().name(), code -> new LongAdder()).increment();
      }
      latency.recordValue(Math.max(1, nanos));
    }

    Result result(long wallNanos) {
      Map<String, Long> counted = new TreeMap<>();
      errors.forEach((code, count) -> counted.put(code, count.sum()));
      return new Result(calls.sum(), ok.sum(), counted, latency.copy(), wallNanos);
    }
  }
}
