package dev.dxreactor.dbteleport;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Entry versions: microseconds since the epoch, made strictly increasing within the process even when the
 * wall clock stands still or steps back. Versions therefore also grow across restarts, so a client's
 * version from before a restart is not taken for a current one.
 */
final class VersionClock {

    private final AtomicLong last = new AtomicLong();

    /** A version later than every one handed out before, and at least {@code now} in microseconds. */
    long next(Instant now) {
        long micros = Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000L), now.getNano() / 1000);
        return last.updateAndGet(previous -> Math.max(previous + 1, micros));
    }
}
