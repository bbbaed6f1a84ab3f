package dev.dxreactor.hbtp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.netty.channel.ChannelHandler;

import java.util.concurrent.atomic.LongAdder;

/**
 * The meters of the clients made with one {@link HbtpClientConfig}, made only when it has a
 * {@code meterRegistry}: the one client class that touches Micrometer. Recording allocates nothing.
 */
final class ClientMetrics {

    static final String PREFIX = "hbtp.client.";

    private final CallTimers calls;
    private final CloseCounters closes;
    private final WireCounter.Meters wire;
    private final Counter reconnects;
    /** Calls waiting for their answer, over all clients of the config; kept by {@link PendingCalls}. */
    final LongAdder inFlight = new LongAdder();

    ClientMetrics(MeterRegistry registry, String[] tagPairs) {
        Tags tags = Tags.of(tagPairs);
        calls = new CallTimers(registry, PREFIX + "calls", "calls from sending to their answer or failure", tags);
        closes = new CloseCounters(registry, PREFIX + "closes", tags);
        wire = WireCounter.Meters.register(registry, PREFIX, tags);
        reconnects = Counter.builder(PREFIX + "reconnects").tags(tags)
                .description("connections made again after one was lost").register(registry);
        Gauge.builder(PREFIX + "calls.in.flight", this, m -> m.inFlight.sum()).tags(tags)
                .description("calls waiting for their answer").register(registry);
    }

    ChannelHandler newWireCounter() {
        return new WireCounter(wire);
    }

    void recordCall(int route, int status, long nanos) {
        calls.record(route, status, nanos);
    }

    void recordClose(int code, boolean sentByServer) {
        closes.record(code, sentByServer);
    }

    void reconnected() {
        reconnects.increment();
    }
}
