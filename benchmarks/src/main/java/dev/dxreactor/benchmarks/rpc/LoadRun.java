package dev.dxreactor.benchmarks.rpc;

import dev.dxreactor.benchmarks.ForkEnvironment;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The load every client applies, whatever its protocol: {@code inFlight} slots per connection, each sending its
 * next request as soon as the previous one's answer is back and checked. A warm-up, then the measured window, in
 * which answers are counted and their latency recorded; then no new requests, and the ones in flight are awaited
 * (a bounded time) but not counted. A wrong answer or a failure is an error; a slot stops at its first failure.
 */
final class LoadRun {

    /** One connection of a protocol's own client library. */
    interface Connection {
        /**
         * Sends request {@code id} ({@link Payloads}) and tells {@code answer} exactly once whether its answer came
         * back byte for byte, or how it failed. Called from any thread, typically from a previous answer's
         * callback.
         */
        void call(long id, Answer answer);
    }

    /** The outcome of one request. */
    interface Answer {
        void answered(boolean matches);

        void failed(Throwable failure);
    }

    /**
     * What a client prints when its measured window starts and ends, so the driver can read the CPU time both
     * processes spent in it.
     */
    static final String WINDOW_START = "WINDOW start";
    static final String WINDOW_END = "WINDOW end";

    /** How long the requests in flight at the end of the window may take. */
    static final long DRAIN_MILLIS = 10_000;

    private static final int WARMUP = 0;
    private static final int MEASURING = 1;
    private static final int DRAINING = 2;

    private final long drainMillis;
    private final Recorder latencies = new Recorder(3);
    private final LongAdder requests = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final AtomicLong firstFailureReported = new AtomicLong();
    private volatile int phase = WARMUP;
    private CountDownLatch slotsRunning;

    LoadRun() {
        this(DRAIN_MILLIS);
    }

    /** A run that waits {@code drainMillis} for the requests in flight at the end of the window. */
    LoadRun(long drainMillis) {
        this.drainMillis = drainMillis;
    }

    /** Runs the load on {@code connections} (already open) and returns the client's result. */
    RpcResult run(List<? extends Connection> connections, ClientSettings settings) throws InterruptedException {
        ForkEnvironment.recordIfRequested();
        List<Slot> slots = new ArrayList<>();
        for (int c = 0; c < connections.size(); c++) {
            for (int k = 0; k < settings.inFlight(); k++) {
                slots.add(new Slot(connections.get(c), slots.size()));
            }
        }
        slotsRunning = new CountDownLatch(slots.size());
        for (Slot slot : slots) {
            slot.next();
        }
        sleep(settings.warmupSeconds());
        latencies.reset();
        announce(WINDOW_START);
        long start = System.nanoTime();
        phase = MEASURING;
        sleep(settings.seconds());
        phase = DRAINING;
        long end = System.nanoTime();
        announce(WINDOW_END);
        Histogram window = latencies.getIntervalHistogram();
        if (!slotsRunning.await(drainMillis, TimeUnit.MILLISECONDS)) {
            long missing = slotsRunning.getCount();
            errors.add(missing);
            System.err.println(missing + " requests still unanswered " + drainMillis + " ms after the window");
        }
        return new RpcResult(requests.sum(), errors.sum(), (end - start) / 1e9,
                window.getValueAtPercentile(50), window.getValueAtPercentile(90),
                window.getValueAtPercentile(99), window.getValueAtPercentile(99.9), window.getMaxValue());
    }

    private static void announce(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static void sleep(double seconds) throws InterruptedException {
        TimeUnit.NANOSECONDS.sleep((long) (seconds * 1e9));
    }

    private void error(String what) {
        errors.increment();
        if (firstFailureReported.getAndIncrement() < 5) {
            System.err.println("error: " + what);
        }
    }

    /** One request in flight on a connection, again and again. */
    private final class Slot implements Answer {
        private final Connection connection;
        private final long idBase;
        private long sequence;
        private long sentNanos;
        private long id;

        Slot(Connection connection, int index) {
            this.connection = connection;
            this.idBase = (long) index << 40;
        }

        void next() {
            if (phase == DRAINING) {
                slotsRunning.countDown();
                return;
            }
            id = idBase | sequence++;
            sentNanos = System.nanoTime();
            connection.call(id, this);
        }

        @Override
        public void answered(boolean matches) {
            if (!matches) {
                error("the answer to request " + Long.toHexString(id) + " is not its request byte for byte");
            } else if (phase == MEASURING) {
                requests.increment();
                latencies.recordValue(Math.max(1, (System.nanoTime() - sentNanos) / 1000));
            }
            next();
        }

        @Override
        public void failed(Throwable failure) {
            error("request " + Long.toHexString(id) + " failed: " + failure);
            slotsRunning.countDown();
        }
    }

    /** A client main as the process contract has it: run, print the RESULT line, exit 0 only without errors. */
    static void main(String[] args, Client client) {
        ClientSettings settings = ClientSettings.parse(args);
        RpcResult result;
        try {
            result = client.run(settings);
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(2);
            return;
        }
        System.out.println(result.line());
        System.out.flush();
        System.exit(result.errors() == 0 ? 0 : 1);
    }

    /** One protocol's load client: opens its connections, runs a {@link LoadRun} on them, closes them. */
    @FunctionalInterface
    interface Client {
        RpcResult run(ClientSettings settings) throws Exception;
    }
}
