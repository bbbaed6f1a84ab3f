package dev.dxreactor.cim.middleware;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The token buckets of one event loop thread, as GCRA "theoretical arrival times": one {@code long} per key.
 * Only its owner thread may touch it; any other thread is refused, so loops never share state by mistake.
 */
final class LoopBuckets {

    private final Thread owner = Thread.currentThread();
    private final long intervalNanos;
    private final long toleranceNanos;
    private final Map<Object, long[]> arrivals;

    LoopBuckets(RateLimitConfig config) {
        this.intervalNanos = Math.max(1, Math.round(1e9 / config.permitsPerSecond()));
        this.toleranceNanos = intervalNanos * (config.burst() - 1L);
        int max = config.maxKeysPerLoop();
        this.arrivals = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, long[]> eldest) {
                return size() > max;
            }
        };
    }

    /**
     * Takes a token for {@code key} at {@code now}.
     *
     * @return 0 when allowed, otherwise the nanoseconds until a token is there
     */
    long acquire(Object key, long now) {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("rate-limit buckets of " + owner.getName() + " used from "
                    + Thread.currentThread().getName());
        }
        long[] tat = arrivals.get(key);
        if (tat == null) {
            arrivals.put(key, new long[]{now + intervalNanos});
            return 0;
        }
        long allowedAt = tat[0] - toleranceNanos;
        if (now - allowedAt < 0) {
            return allowedAt - now;
        }
        tat[0] = Math.max(tat[0], now) + intervalNanos;
        return 0;
    }

    Thread owner() {
        return owner;
    }

    int size() {
        return arrivals.size();
    }

    boolean holds(Object key) {
        return arrivals.containsKey(key);
    }
}
