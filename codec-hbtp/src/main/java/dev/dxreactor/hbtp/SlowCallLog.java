package dev.dxreactor.hbtp;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Logs calls slower than {@link HbtpServerConfig#slowCallThreshold()}: one WARN line per slow call, at most one
 * per route every {@link RateLimitedLog#DEFAULT_INTERVAL}, so that a slow dependency behind one route makes a
 * line every few seconds with the count left out, not a line per call, and cannot hide the other routes' lines.
 * Its own logger name, so that it can be routed or silenced alone. Thread-safe; one per config.
 */
final class SlowCallLog {

    private static final Logger LOG = LoggerFactory.getLogger(SlowCallLog.class);

    private final long thresholdNanos;
    /**
     * By route id, made on a route's first slow call; only routes the router serves run handlers, so a peer
     * cannot add entries. A map rather than an array: it is read only for slow calls.
     */
    private final ConcurrentMap<Integer, RateLimitedLog> byRoute = new ConcurrentHashMap<>();

    SlowCallLog(Duration threshold) {
        this.thresholdNanos = threshold.toNanos();
    }

    /** A call's handler returned {@code nanos} after the call was read; {@code status} is what was answered. */
    void check(int route, int status, long nanos) {
        if (nanos < thresholdNanos) {
            return;
        }
        byRoute.computeIfAbsent(route, r -> new RateLimitedLog(LOG, RateLimitedLog.DEFAULT_INTERVAL)).warn("HBTP slow call: route {} took {} ms (threshold {} ms), status {}", route,
                TimeUnit.NANOSECONDS.toMillis(nanos), TimeUnit.NANOSECONDS.toMillis(thresholdNanos),
                HbtpStatus.name(status));
    }
}
