package dev.dxreactor.hbtp;

import org.slf4j.Logger;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A WARN line at most once per interval, with the count of those left out since the last one: a peer that
 * makes the server fail on purpose must not be able to fill its log.
 */
final class RateLimitedLog {

    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

    private final Logger log;
    private final LongSupplier clock;
    private final long intervalNanos;
    private final AtomicLong nextAllowed;
    private final AtomicLong suppressed = new AtomicLong();

    RateLimitedLog(Logger log, Duration interval) {
        this(log, interval, System::nanoTime);
    }

    /** @param clock nanoseconds, as {@link System#nanoTime()} counts them */
    RateLimitedLog(Logger log, Duration interval, LongSupplier clock) {
        this.log = log;
        this.clock = clock;
        this.intervalNanos = interval.toNanos();
        this.nextAllowed = new AtomicLong(clock.getAsLong());
    }

    /** Logs like {@link Logger#warn(String, Object...)} when the interval has passed; counts it otherwise. */
    void warn(String format, Object... arguments) {
        if (!log.isWarnEnabled()) {
            return;
        }
        long now = clock.getAsLong();
        long next = nextAllowed.get();
        if (now - next < 0 || !nextAllowed.compareAndSet(next, now + intervalNanos)) {
            suppressed.incrementAndGet();
            return;
        }
        long left = suppressed.getAndSet(0);
        log.warn(left == 0 ? format : format + " (" + left + " more like it not logged)", arguments);
    }

    /** Lines left out since the last one logged. */
    long suppressed() {
        return suppressed.get();
    }
}
