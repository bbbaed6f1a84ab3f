package dev.dxreactor.benchmarks.rsocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.core.RSocketConnector;
import io.rsocket.frame.decoder.PayloadDecoder;
import io.rsocket.transport.netty.client.TcpClientTransport;
import io.rsocket.util.ByteBufPayload;
import org.HdrHistogram.Histogram;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpClient;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The RSocket request-response client of the rpc-throughput benchmark: {@code --connections} RSocket
 * connections, each with {@code --in-flight} requests outstanding, every answer checked byte for byte against
 * its request, latency recorded with HdrHistogram during the measured window.
 *
 * <p>Run as {@code java -cp rsocket-peer.jar dev.dxreactor.benchmarks.rsocket.RSocketEchoClient --host 127.0.0.1
 * --port <p> --connections 16 --in-flight 16 --payload 64 --warmup-seconds 5 --seconds 10 --transport epoll}.
 * It prints one {@code RESULT ...} line on stdout and exits 0 when there were no errors, 1 otherwise.
 */
public final class RSocketEchoClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** How long the requests outstanding at the end of the window may take before they count as errors. */
    private static final long DRAIN_GRACE_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private RSocketEchoClient() {
    }

    /**
     * Runs the load and prints the {@code RESULT} line.
     *
     * @param args the contract's client options; see {@link ClientOptions}
     */
    public static void main(String[] args) {
        ClientOptions options;
        try {
            options = ClientOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("RSocketEchoClient: " + e.getMessage());
            System.exit(2);
            return;
        }
        ClientResult result = run(options, System.err);
        System.out.println(result.line());
        System.out.flush();
        System.exit(result.errors() == 0 ? 0 : 1);
    }

    /** Connects, runs warm-up and measured window, awaits the outstanding requests and disconnects. */
    static ClientResult run(ClientOptions options, PrintStream log) {
        LoopResources loops = LoopResources.create("rsocket-client", options.workers(), true);
        // runOn(loops) takes the native group when LoopResources.DEFAULT_NATIVE allows it and one is available.
        String loopType = loops.onClient(LoopResources.DEFAULT_NATIVE).next().getClass().getSimpleName();
        TcpClient tcp = TcpClient.create()
                .host(options.host())
                .port(options.port())
                .runOn(loops);
        List<RSocket> sockets = new ArrayList<>(options.connections());
        Run run;
        try {
            try {
                for (int i = 0; i < options.connections(); i++) {
                    sockets.add(RSocketConnector.create()
                            .payloadDecoder(PayloadDecoder.ZERO_COPY)
                            .connect(TcpClientTransport.create(tcp))
                            .block(CONNECT_TIMEOUT));
                }
            } catch (RuntimeException e) {
                log.println("RSocketEchoClient: connection " + (sockets.size() + 1) + " to " + options.host() + ":"
                        + options.port() + " failed: " + e);
                return new ClientResult(0, 1, options.seconds(), new Histogram(3));
            }
            log.println("RSocketEchoClient: " + loopType + ", " + options.connections() + " connection(s) x "
                    + options.inFlight() + " in flight, " + options.payload() + " B, " + options.workers()
                    + " event loop(s); --transport " + options.transport()
                    + " ignored (reactor-netty picks epoll when available, else NIO)");
            run = new Run(options, sockets);
            run.start();
            run.announceWindow();
            run.await();
        } finally {
            sockets.forEach(RSocket::dispose);
            // The histograms are read only after the event loops that write them have stopped.
            loops.disposeLater(Duration.ZERO, CLOSE_TIMEOUT).block(CLOSE_TIMEOUT);
        }
        if (run.firstError() != null) {
            log.println("RSocketEchoClient: " + run.errors.get() + " error(s), the first: " + run.firstError());
        }
        Histogram latency = new Histogram(3);
        run.connections.forEach(connection -> latency.add(connection.latencyUs));
        return new ClientResult(latency.getTotalCount(), run.errors.get(), options.seconds(), latency);
    }

    private static long toNanos(double seconds) {
        return Math.round(seconds * 1e9);
    }

    /** One load run: the window, the request size, the connections, the error count and the slots. */
    private static final class Run {
        final long windowStart;
        final long windowEnd;
        final int payload;
        final int inFlight;
        final List<Connection> connections;
        final AtomicLong errors = new AtomicLong();
        final CountDownLatch slotsDone;
        /** Set when the deadline passed: the late requests were counted as errors, their signals are ignored. */
        volatile boolean abandoned;
        private final AtomicReference<String> firstError = new AtomicReference<>();

        Run(ClientOptions options, List<RSocket> sockets) {
            this.windowStart = System.nanoTime() + toNanos(options.warmupSeconds());
            this.windowEnd = windowStart + toNanos(options.seconds());
            this.payload = options.payload();
            this.inFlight = options.inFlight();
            this.connections = sockets.stream().map(socket -> new Connection(this, socket)).toList();
            this.slotsDone = new CountDownLatch(connections.size() * inFlight);
        }

        void start() {
            for (Connection connection : connections) {
                for (int slot = 0; slot < inFlight; slot++) {
                    connection.send();
                }
            }
        }

        /**
         * Prints {@code WINDOW start} and {@code WINDOW end} as the measured window starts and ends, the process
         * contract's cue for the driver to read both processes' CPU time.
         */
        void announceWindow() {
            try {
                sleepUntil(windowStart);
                System.out.println("WINDOW start");
                System.out.flush();
                sleepUntil(windowEnd);
                System.out.println("WINDOW end");
                System.out.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static void sleepUntil(long nanoTime) throws InterruptedException {
            long left;
            while ((left = nanoTime - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.sleep(left);
            }
        }

        /** Waits for every slot to finish its last request; what is still outstanding at the deadline fails. */
        void await() {
            boolean drained;
            try {
                drained = slotsDone.await(windowEnd + DRAIN_GRACE_NANOS - System.nanoTime(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                drained = false;
            }
            if (!drained) {
                abandoned = true;
                long late = slotsDone.getCount();
                errors.addAndGet(late);
                firstError.compareAndSet(null, late + " request(s) unanswered at the deadline");
            }
        }

        void error(String what) {
            if (!abandoned) {
                errors.incrementAndGet();
                firstError.compareAndSet(null, what);
            }
        }

        String firstError() {
            return firstError.get();
        }
    }

    /**
     * One RSocket connection and its latencies. Answers arrive on the connection's event loop, so only that
     * thread records into the histogram; the sequence counter is atomic because the first requests are sent
     * from the main thread while early answers already send the next ones.
     */
    private static final class Connection {
        private final Run run;
        private final RSocket socket;
        private final AtomicLong sequence = new AtomicLong();
        final Histogram latencyUs = new Histogram(3);

        Connection(Run run, RSocket socket) {
            this.run = run;
            this.socket = socket;
        }

        void send() {
            long seq = sequence.getAndIncrement();
            ByteBuf data = ByteBufAllocator.DEFAULT.buffer(run.payload);
            EchoContent.write(data, seq, run.payload);
            // RSocket owns the payload from here and releases it once written (or failed).
            socket.requestResponse(ByteBufPayload.create(data)).subscribe(new Call(this, seq, System.nanoTime()));
        }

        void answered(Call call, long now) {
            if (call.sendNanos >= run.windowStart && now < run.windowEnd) {
                latencyUs.recordValue((now - call.sendNanos) / 1_000);
            }
        }

        /** After an answer: the next request while the window lasts, else this slot is done. */
        void next(long now) {
            if (now < run.windowEnd && !run.abandoned) {
                send();
            } else {
                run.slotsDone.countDown();
            }
        }
    }

    /** One request's subscriber: checks the answer and, once the exchange ends, sends the next request. */
    private static final class Call implements CoreSubscriber<Payload> {
        private final Connection connection;
        private final long sequence;
        final long sendNanos;
        private long answerNanos;
        private boolean answered;

        Call(Connection connection, long sequence, long sendNanos) {
            this.connection = connection;
            this.sequence = sequence;
            this.sendNanos = sendNanos;
        }

        @Override
        public void onSubscribe(Subscription s) {
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(Payload answer) {
            answerNanos = System.nanoTime();
            answered = true;
            try {
                if (EchoContent.matches(answer.sliceData(), sequence, connection.run.payload)) {
                    connection.answered(this, answerNanos);
                } else {
                    connection.run.error("answer to request " + sequence + " differs from the request");
                }
            } finally {
                answer.release();
            }
        }

        @Override
        public void onError(Throwable t) {
            connection.run.error("request " + sequence + " failed: " + t);
            // A failed request does not send the next one: on a broken connection that would spin.
            if (!connection.run.abandoned) {
                connection.run.slotsDone.countDown();
            }
        }

        @Override
        public void onComplete() {
            if (!answered) {
                connection.run.error("request " + sequence + " completed without an answer");
                answerNanos = System.nanoTime();
            }
            connection.next(answerNanos);
        }
    }
}
