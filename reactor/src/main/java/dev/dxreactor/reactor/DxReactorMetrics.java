package dev.dxreactor.reactor;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.concurrent.SingleThreadEventExecutor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer meters for the event loops of a {@link DxReactor} (or any Netty group), per loop, tagged
 * {@code loop=<index>}:
 * <ul>
 *   <li>{@code dx.reactor.pending.tasks} (gauge): tasks queued for the loop and not yet run;</li>
 *   <li>{@code dx.reactor.channels} (gauge): channels registered with the loop (loops that count them);</li>
 *   <li>{@code dx.reactor.loop.lag} (timer, p50 and p99): how late a probe task runs after the time it was
 *       scheduled for. A loop busy with long work, blocked, or behind on its queue runs it late; an idle one
 *       within the timer's resolution.</li>
 * </ul>
 *
 * <pre>{@code
 * DxReactorMetrics metrics = new DxReactorMetrics(reactor.group());
 * metrics.bindTo(registry);          // starts one probe per loop
 * ...
 * metrics.close();                   // stops the probes (the reactor's shutdown stops them too)
 * }</pre>
 *
 * <p>Micrometer is an optional dependency of dx-reactor: only this class uses it. A probe is one scheduled task
 * per loop and interval; nothing is recorded on the I/O path.
 */
public final class DxReactorMetrics implements MeterBinder, AutoCloseable {

    public static final String PREFIX = "dx.reactor.";
    /** How often each loop's lag is measured by default. */
    public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofMillis(500);

    private final EventLoopGroup group;
    private final long intervalNanos;
    private final Tags tags;
    private final List<Probe> probes = new ArrayList<>();
    private volatile boolean closed;

    /** The loops of {@code group}, probed every {@link #DEFAULT_PROBE_INTERVAL}. */
    public DxReactorMetrics(EventLoopGroup group) {
        this(group, DEFAULT_PROBE_INTERVAL);
    }

    /**
     * @param probeInterval how often each loop's lag is measured
     * @param tags          key, value pairs put on every meter
     */
    public DxReactorMetrics(EventLoopGroup group, Duration probeInterval, String... tags) {
        this.group = Objects.requireNonNull(group, "group");
        if (probeInterval.isNegative() || probeInterval.isZero()) {
            throw new IllegalArgumentException("probeInterval " + probeInterval + " (allowed: a positive duration)");
        }
        this.intervalNanos = probeInterval.toNanos();
        this.tags = Tags.of(tags);
    }

    /** Registers the meters of every loop and starts the lag probes. Bind once. */
    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        if (!probes.isEmpty() || closed) {
            throw new IllegalStateException("DxReactorMetrics is bound once, and not after close");
        }
        int index = 0;
        for (EventExecutor loop : group) {
            Tags loopTags = tags.and("loop", Integer.toString(index++));
            if (loop instanceof SingleThreadEventExecutor single) {
                Gauge.builder(PREFIX + "pending.tasks", single, SingleThreadEventExecutor::pendingTasks)
                        .tags(loopTags).description("tasks queued for the event loop and not yet run")
                        .register(registry);
            }
            if (loop instanceof SingleThreadEventLoop io && io.registeredChannels() >= 0) {
                Gauge.builder(PREFIX + "channels", io, SingleThreadEventLoop::registeredChannels)
                        .tags(loopTags).description("channels registered with the event loop").register(registry);
            }
            Timer lag = Timer.builder(PREFIX + "loop.lag").tags(loopTags)
                    .description("how late a task scheduled on the event loop runs")
                    .publishPercentiles(0.5, 0.99)
                    .register(registry);
            Probe probe = new Probe(loop, lag);
            probes.add(probe);
            probe.start();
        }
    }

    /** Stops the probes; the meters stay registered (their values stop changing). */
    @Override
    public synchronized void close() {
        closed = true;
        probes.forEach(Probe::stop);
    }

    /**
     * Runs on its loop every interval and records how late it ran: a one-shot task scheduled again each time,
     * so a late run does not make the next ones look late as a fixed-rate task's catching up would.
     */
    private final class Probe implements Runnable {
        private final EventExecutor loop;
        private final Timer lag;
        private long due;
        private ScheduledFuture<?> next;

        Probe(EventExecutor loop, Timer lag) {
            this.loop = loop;
            this.lag = lag;
        }

        void start() {
            try {
                loop.execute(this::schedule);
            } catch (RejectedExecutionException e) {
                // The loop is shutting down: nothing to measure.
            }
        }

        private void schedule() {
            if (closed || loop.isShuttingDown()) {
                return;
            }
            due = System.nanoTime() + intervalNanos;
            try {
                next = loop.schedule(this, intervalNanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // The loop is shutting down.
            }
        }

        @Override
        public void run() {
            lag.record(Math.max(0, System.nanoTime() - due), TimeUnit.NANOSECONDS);
            schedule();
        }

        void stop() {
            try {
                loop.execute(() -> {
                    if (next != null) {
                        next.cancel(false);
                    }
                });
            } catch (RejectedExecutionException e) {
                // The loop has stopped, and its tasks with it.
            }
        }
    }
}
