package dev.dxreactor.benchmarks.cim;

import java.util.function.LongSupplier;

/**
 * The clock every variant times and rate-limits with: each reading is one microsecond after the previous
 * one. A field update instead of {@link System#nanoTime()} (tens of ns a call on a virtual machine, read
 * three times per request) keeps the middlewares cheap, so the chain's own cost is what the benchmark
 * sees; and the same readings make every variant's {@code X-Response-Time} the same, so responses can be
 * compared byte for byte. One per channel, used on its event loop only.
 */
final class StepClock implements LongSupplier {

    static final long STEP_NANOS = 1_000;

    private long now;

    @Override
    public long getAsLong() {
        now += STEP_NANOS;
        return now;
    }
}
