package dev.dxreactor.hbtp.cli;

import dev.dxreactor.hbtp.HbtpCallFuture;
import dev.dxreactor.hbtp.HbtpClient;
import dev.dxreactor.hbtp.HbtpMetadata;
import io.netty.buffer.ByteBuf;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * The load of {@code hbtp bench}: on each connection, {@code inFlight} lanes that each make a call, check
 * its answer, and make the next from the answer's callback (on the connection's event loop), until stopped
 * or until the measured calls reach the count. Calls made before {@link #startMeasuring()} are warm-up:
 * their answers are checked, but neither counted nor timed. Latency (call made to answer checked, in
 * nanoseconds) is recorded for the answers that passed.
 */
final class BenchRun {

    /** Error messages kept to show; the rest are only counted. */
    private static final int ERRORS_SHOWN = 5;

    private final List<HbtpClient> clients;
    private final int inFlight;
    private final int route;
    private final BenchPayload payload;
    private final Expectation expect;
    private final HbtpMetadata metadata;
    private final Duration timeout;
    private final long limit;

    private final Recorder latency = new Recorder(3);
    private final LongAdder passed = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder warmupCalls = new LongAdder();
    private final LongAdder warmupErrors = new LongAdder();
    private final AtomicLong issued = new AtomicLong();
    private final AtomicLong numbers = new AtomicLong();
    private final LongAccumulator lastAnswer = new LongAccumulator(Math::max, 0);
    private final Queue<String> errors = new ConcurrentLinkedQueue<>();
    private final AtomicInteger errorsKept = new AtomicInteger();
    private final CountDownLatch lanesDone;
    private volatile long measureStart;
    private volatile boolean measuring;
    private volatile boolean stopping;

    /**
     * @param limit measured calls to make, or {@link Long#MAX_VALUE} to run until {@link #stop()}
     */
    BenchRun(List<HbtpClient> clients, int inFlight, int route, BenchPayload payload, Expectation expect,
             HbtpMetadata metadata, Duration timeout, long limit) {
        this.clients = clients;
        this.inFlight = inFlight;
        this.route = route;
        this.payload = payload;
        this.expect = expect;
        this.metadata = metadata;
        this.timeout = timeout;
        this.limit = limit;
        this.lanesDone = new CountDownLatch(clients.size() * inFlight);
    }

    /** Starts every lane; calls are warm-up until {@link #startMeasuring()} (which may come first). */
    void start() {
        for (HbtpClient client : clients) {
            for (int i = 0; i < inFlight; i++) {
                client.channel().eventLoop().execute(() -> next(client));
            }
        }
    }

    /** Calls made from now on are counted and timed. */
    void startMeasuring() {
        latency.reset();
        measureStart = System.nanoTime();
        measuring = true;
    }

    long measureStart() {
        return measureStart;
    }

    /** Lanes make no new calls; those in flight still finish. */
    void stop() {
        stopping = true;
    }

    /** Waits up to {@code nanos} for every lane to finish; true when they have. */
    boolean awaitLanes(long nanos) throws InterruptedException {
        return lanesDone.await(nanos, TimeUnit.NANOSECONDS);
    }

    boolean lanesDone() {
        return lanesDone.getCount() == 0;
    }

    /** Measured answers so far, passed or failed. */
    long measuredCalls() {
        return passed.sum() + failed.sum();
    }

    long warmupCalls() {
        return warmupCalls.sum();
    }

    long passed() {
        return passed.sum();
    }

    /** Measured calls that failed. */
    long errors() {
        return failed.sum();
    }

    /** Warm-up calls that failed: not counted as calls, but a wrong answer is wrong whenever it comes. */
    long warmupErrors() {
        return warmupErrors.sum();
    }

    /** The first few error messages. */
    List<String> errorMessages() {
        return List.copyOf(errors);
    }

    /** When the last measured answer arrived ({@link System#nanoTime()}), or 0 when none did. */
    long lastAnswer() {
        return lastAnswer.get();
    }

    /** The latencies recorded since measuring started, in nanoseconds. */
    Histogram latencies() {
        return latency.getIntervalHistogram();
    }

    /** Makes calls on this lane until one is still in flight, the lane is done, or the run stops. */
    private void next(HbtpClient client) {
        while (true) {
            if (stopping) {
                lanesDone.countDown();
                return;
            }
            boolean measured = measuring;
            if (measured && issued.incrementAndGet() > limit) {
                lanesDone.countDown();
                return;
            }
            long number = numbers.getAndIncrement();
            long start = System.nanoTime();
            HbtpCallFuture answer;
            try {
                answer = call(client, number);
            } catch (RuntimeException e) {
                error(measured, "the call could not be made: " + Connector.oneLine(e));
                lanesDone.countDown();
                return;
            }
            if (!answer.isDone()) {
                answer.whenComplete((body, error) -> {
                    if (answered(client, body, error, number, start, measured)) {
                        next(client);
                    } else {
                        lanesDone.countDown();
                    }
                });
                return;
            }
            // Answered at once (failed, as a rule): go on in this loop rather than recursing.
            Throwable failure = failure(answer);
            if (!answered(client, failure == null ? answer.getNow(null) : null, failure, number, start, measured)) {
                lanesDone.countDown();
                return;
            }
        }
    }

    private HbtpCallFuture call(HbtpClient client, long number) {
        if (metadata.isEmpty()) {
            return client.call(route, payload.size(), out -> payload.write(out, number), timeout);
        }
        ByteBuf body = client.channel().alloc().ioBuffer(payload.size());
        payload.write(body, number);
        return client.call(route, body, metadata, timeout);
    }

    /** Why a completed call failed, or {@code null} when it was answered. */
    private static Throwable failure(HbtpCallFuture answer) {
        if (!answer.isCompletedExceptionally()) {
            return null;
        }
        try {
            answer.join();
            return new IllegalStateException("failed without a cause");
        } catch (CompletionException e) {
            return e.getCause();
        } catch (CancellationException e) {
            return e;
        }
    }

    /** Checks and counts one answer; false when the lane cannot go on (its connection is gone). */
    private boolean answered(HbtpClient client, ByteBuf body, Throwable error, long number, long start,
                             boolean measured) {
        long end = System.nanoTime();
        if (error != null) {
            error(measured, CallCommand.failure(route, timeout, error).getMessage());
            return client.isOpen();
        }
        String mismatch;
        try {
            mismatch = expect == Expectation.ECHO ? payload.echoMismatch(body, number) : null;
        } catch (RuntimeException e) {
            // Never out of a callback: the lane would stop without counting itself done.
            mismatch = "the answer could not be checked: " + e;
        } finally {
            body.release();
        }
        if (mismatch != null) {
            error(measured, "route " + route + ": " + mismatch
                    + " (--expect any accepts any answer from a route that does not echo)");
        } else if (measured) {
            passed.increment();
            latency.recordValue(Math.max(0, end - start));
            lastAnswer.accumulate(end);
        } else {
            warmupCalls.increment();
        }
        return true;
    }

    private void error(boolean measured, String message) {
        if (measured) {
            failed.increment();
            lastAnswer.accumulate(System.nanoTime());
        } else {
            warmupErrors.increment();
        }
        if (errorsKept.getAndIncrement() < ERRORS_SHOWN) {
            errors.add(message);
        }
    }
}
