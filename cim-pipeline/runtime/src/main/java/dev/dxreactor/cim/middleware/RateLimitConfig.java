package dev.dxreactor.cim.middleware;

import dev.dxreactor.cim.ConfigProblems;

import java.util.Objects;

/**
 * Settings of {@link RateLimitMiddleware}: a token bucket of {@code burst} tokens refilled at
 * {@code permitsPerSecond}, per key, <em>per event loop</em> (see the middleware for how that adds up).
 *
 * @param permitsPerSecond sustained rate per key and event loop
 * @param burst            requests a key may make at once after being idle
 * @param key              what requests are counted by
 * @param maxKeysPerLoop   buckets kept per event loop; the least recently used goes first (its key starts
 *                         afresh with a full bucket)
 */
public record RateLimitConfig(double permitsPerSecond, int burst, RateLimitKey key, int maxKeysPerLoop) {

    public RateLimitConfig {
        Objects.requireNonNull(key, "key");
        new ConfigProblems("RateLimitConfig")
                .check(permitsPerSecond > 0 && Double.isFinite(permitsPerSecond),
                        "permitsPerSecond must be a positive number, not " + permitsPerSecond)
                .check(burst >= 1, "burst must be at least 1, not " + burst)
                .check(maxKeysPerLoop >= 1, "maxKeysPerLoop must be at least 1, not " + maxKeysPerLoop)
                .throwIfAny();
    }

    /** 100 requests per second, bursts of 50, by remote address, 100,000 keys per loop. */
    public static RateLimitConfig defaults() {
        return new RateLimitConfig(100, 50, RateLimitKey.REMOTE_ADDRESS, 100_000);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts from {@link #defaults()}. */
    public static final class Builder {
        private double permitsPerSecond = 100;
        private int burst = 50;
        private RateLimitKey key = RateLimitKey.REMOTE_ADDRESS;
        private int maxKeysPerLoop = 100_000;

        private Builder() {
        }

        public Builder permitsPerSecond(double permitsPerSecond) {
            this.permitsPerSecond = permitsPerSecond;
            return this;
        }

        public Builder burst(int burst) {
            this.burst = burst;
            return this;
        }

        public Builder key(RateLimitKey key) {
            this.key = key;
            return this;
        }

        public Builder maxKeysPerLoop(int maxKeysPerLoop) {
            this.maxKeysPerLoop = maxKeysPerLoop;
            return this;
        }

        /** @throws IllegalArgumentException listing every invalid setting */
        public RateLimitConfig build() {
            return new RateLimitConfig(permitsPerSecond, burst, key, maxKeysPerLoop);
        }
    }
}
