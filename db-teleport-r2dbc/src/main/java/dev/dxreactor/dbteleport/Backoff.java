package dev.dxreactor.dbteleport;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Delays between reconnect attempts: doubling from {@code initial} up to {@code max}, each drawn at random
 * from the upper half of the current step ("equal jitter"), so that servers that lost the database together
 * do not all come back in the same millisecond, yet none waits less than half its step.
 */
final class Backoff {

    private final long initialNanos;
    private final long maxNanos;
    private final DoubleSupplier random;
    private long stepNanos;

    Backoff(Duration initial, Duration max) {
        this(initial, max, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** @param random values in [0, 1) */
    Backoff(Duration initial, Duration max, DoubleSupplier random) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("reconnect backoff needs 0 < initial <= max, got initial " + initial
                    + ", max " + max);
        }
        this.initialNanos = initial.toNanos();
        this.maxNanos = max.toNanos();
        this.random = random;
        this.stepNanos = initialNanos;
    }

    /** The delay before the next attempt; each call doubles the step for the one after, up to the maximum. */
    synchronized Duration next() {
        long step = stepNanos;
        stepNanos = step > maxNanos / 2 ? maxNanos : step * 2;
        long half = step / 2;
        return Duration.ofNanos(half + (long) (random.getAsDouble() * (step - half)));
    }

    /** After a success: the next failure starts again from the initial step. */
    synchronized void reset() {
        stepNanos = initialNanos;
    }
}
