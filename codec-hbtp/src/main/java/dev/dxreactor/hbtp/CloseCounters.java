package dev.dxreactor.hbtp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The {@code closes} counters: one per connection that ended, tagged with the code of the first CLOSE sent or
 * received ({@code none} when the connection ended without one) and who sent it ({@code by}: {@code server},
 * {@code client}, or {@code none}). Codes outside {@link HbtpCloseCode} share {@code other}, so a peer cannot
 * create meters at will. Registered on first use; thread-safe.
 */
final class CloseCounters {

    private static final int[] CODES = {HbtpCloseCode.NORMAL, HbtpCloseCode.GOING_AWAY,
            HbtpCloseCode.PROTOCOL_ERROR, HbtpCloseCode.UNSUPPORTED, HbtpCloseCode.POLICY, HbtpCloseCode.TOO_LARGE,
            HbtpCloseCode.INTERNAL_ERROR};
    private static final int OTHER = CODES.length;
    private static final int NONE = OTHER + 1;

    private final MeterRegistry registry;
    private final String name;
    private final Tags tags;
    /** Two entries per code: sent by the server, sent by the client. */
    private final AtomicReferenceArray<Counter> counters = new AtomicReferenceArray<>(2 * (NONE + 1));

    CloseCounters(MeterRegistry registry, String name, Tags tags) {
        this.registry = registry;
        this.name = name;
        this.tags = tags;
    }

    /**
     * One connection ended.
     *
     * @param code         the first CLOSE's code, or -1 when none was sent or received
     * @param sentByServer whether the server sent that CLOSE
     */
    void record(int code, boolean sentByServer) {
        int slot = slot(code);
        int index = 2 * slot + (sentByServer || slot == NONE ? 0 : 1);
        Counter counter = counters.get(index);
        if (counter == null) {
            counter = Counter.builder(name)
                    .description("connections ended, by the code of the first CLOSE and who sent it")
                    .tags(tags)
                    .tag("code", slot == NONE ? "none" : slot == OTHER ? "other" : Integer.toString(CODES[slot]))
                    .tag("by", slot == NONE ? "none" : sentByServer ? "server" : "client")
                    .register(registry);
            counters.set(index, counter);
        }
        counter.increment();
    }

    private static int slot(int code) {
        if (code < 0) {
            return NONE;
        }
        for (int i = 0; i < CODES.length; i++) {
            if (CODES[i] == code) {
                return i;
            }
        }
        return OTHER;
    }
}
