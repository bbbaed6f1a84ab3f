package dev.dxreactor.benchmarks.cim;

import dev.dxreactor.cim.middleware.RateLimitConfig;
import io.netty.util.concurrent.FastThreadLocal;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rate limit of the separate and hand-written variants, doing the work the built-in
 * {@code RateLimitMiddleware} does per request: the calling event loop's buckets from a
 * {@link FastThreadLocal}, a check that no other thread uses them, the key (the peer's IP address, or the
 * address itself when it has none), a lookup in an access-ordered map of the most recently used keys,
 * and a GCRA step on one {@code long} ("theoretical arrival time") per key.
 */
final class LoopRateLimiter {

    private final long intervalNanos;
    private final long toleranceNanos;
    private final int maxKeys;
    private final FastThreadLocal<Buckets> buckets = new FastThreadLocal<>() {
        @Override
        protected Buckets initialValue() {
            return new Buckets();
        }
    };

    LoopRateLimiter(RateLimitConfig config) {
        this.intervalNanos = Math.max(1, Math.round(1e9 / config.permitsPerSecond()));
        this.toleranceNanos = intervalNanos * (config.burst() - 1L);
        this.maxKeys = config.maxKeysPerLoop();
    }

    /** Takes a token for {@code remote} at {@code now}: 0 when allowed, else the nanoseconds to wait. */
    long acquire(SocketAddress remote, long now) {
        Object key = remote instanceof InetSocketAddress inet && inet.getAddress() != null ? inet.getAddress() : remote;
        return buckets.get().acquire(key, now);
    }

    private final class Buckets {

        private final Thread owner = Thread.currentThread();
        private final Map<Object, long[]> arrivals = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, long[]> eldest) {
                return size() > maxKeys;
            }
        };

        long acquire(Object key, long now) {
            if (Thread.currentThread() != owner) {
                throw new IllegalStateException("rate-limit buckets of " + owner.getName() + " used from "
                        + Thread.currentThread().getName());
            }
            long[] arrival = arrivals.get(key);
            if (arrival == null) {
                arrivals.put(key, new long[] {now + intervalNanos});
                return 0;
            }
            long allowedAt = arrival[0] - toleranceNanos;
            if (now - allowedAt < 0) {
                return allowedAt - now;
            }
            arrival[0] = Math.max(arrival[0], now) + intervalNanos;
            return 0;
        }
    }
}
