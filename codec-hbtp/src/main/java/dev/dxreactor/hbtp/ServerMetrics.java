package dev.dxreactor.hbtp;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.netty.channel.ChannelHandler;

import java.util.concurrent.atomic.LongAdder;

/**
 * The meters of the connections served with one {@link HbtpServerConfig}, made only when it has a
 * {@code meterRegistry}: this is the one server class that touches Micrometer, so a server without metrics
 * loads none of it. Recording allocates nothing: timers and counters are found in arrays, gauges are read
 * by the registry when it publishes.
 */
final class ServerMetrics {

    static final String PREFIX = "hbtp.server.";

    private final CallTimers calls;
    private final CloseCounters closes;
    private final WireCounter.Meters wire;
    /** Calls whose handler has not returned, over all connections. */
    private final LongAdder inFlight = new LongAdder();
    private final ServerLimits limits;
    private final HbtpTopics topics;

    ServerMetrics(MeterRegistry registry, String[] tagPairs, ServerLimits limits, HbtpTopics topics) {
        Tags tags = Tags.of(tagPairs);
        this.limits = limits;
        this.topics = topics;
        calls = new CallTimers(registry, PREFIX + "calls",
                "calls from receipt to answer (fire-and-forget ones until their handler returns)", tags);
        closes = new CloseCounters(registry, PREFIX + "closes", tags);
        wire = WireCounter.Meters.register(registry, PREFIX, tags);
        Gauge.builder(PREFIX + "connections", this, m -> m.limits.connections()).tags(tags)
                .description("connections open").register(registry);
        Gauge.builder(PREFIX + "calls.in.flight", this, m -> m.inFlight.sum()).tags(tags)
                .description("calls whose handler has not returned yet").register(registry);
        Gauge.builder(PREFIX + "blocking.running", this, m -> m.limits.runningBlockingCalls()).tags(tags)
                .description("blocking handlers running on the offload executor").register(registry);
        Gauge.builder(PREFIX + "blocking.queued", this, m -> m.limits.queuedBlockingCalls()).tags(tags)
                .description("blocking calls waiting for a free handler (maxBlockingCalls)").register(registry);
        if (topics != null) {
            Gauge.builder(PREFIX + "topic.subscribers", this, m -> m.topics.totalSubscribers()).tags(tags)
                    .description("subscriptions to the server's topics, over all topics").register(registry);
        }
    }

    ChannelHandler newWireCounter() {
        return new WireCounter(wire);
    }

    void callStarted() {
        inFlight.increment();
    }

    void callEnded() {
        inFlight.decrement();
    }

    /** @param route the route, or {@link CallTimers#UNKNOWN_ROUTE} for one the server does not serve */
    void recordCall(int route, int status, long nanos) {
        calls.record(route, status, nanos);
    }

    void recordClose(int code, boolean sentByServer) {
        closes.record(code, sentByServer);
    }
}
