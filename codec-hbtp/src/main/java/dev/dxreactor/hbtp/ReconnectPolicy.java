package dev.dxreactor.hbtp;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a client whose connection was lost tries again: exponential backoff with jitter and a cap. Immutable;
 * the {@code with*} methods return a changed copy.
 *
 * <pre>{@code
 * HbtpClientConfig.builder()
 *         .reconnect(ReconnectPolicy.exponential(Duration.ofMillis(100), Duration.ofSeconds(10)))
 *         .build();
 * }</pre>
 *
 * <p>Attempt {@code n} (from 1) waits {@code min(maxDelay, initialDelay * multiplier^(n-1))}, the base, less a
 * random share of it of at most {@code jitter}: between {@code (1 - jitter) * base} and {@code base}. So the
 * bases never shrink, no wait exceeds {@code maxDelay}, and clients that lost the same server at the same
 * moment do not all come back at the same moment.
 */
public final class ReconnectPolicy {

    /** The default multiplier: each base twice the one before. */
    public static final double DEFAULT_MULTIPLIER = 2.0;
    /** The default jitter: each wait between half its base and its base. */
    public static final double DEFAULT_JITTER = 0.5;

    private static final ReconnectPolicy NONE = new ReconnectPolicy(false, Duration.ZERO, Duration.ZERO, 1, 0, 0);

    private final boolean enabled;
    private final Duration initialDelay;
    private final Duration maxDelay;
    private final double multiplier;
    private final double jitter;
    private final int maxAttempts;

    private ReconnectPolicy(boolean enabled, Duration initialDelay, Duration maxDelay, double multiplier,
                            double jitter, int maxAttempts) {
        this.enabled = enabled;
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
        this.multiplier = multiplier;
        this.jitter = jitter;
        this.maxAttempts = maxAttempts;
    }

    /** No reconnecting: a lost connection stays lost (the default). */
    public static ReconnectPolicy none() {
        return NONE;
    }

    /**
     * Backoff from {@code initialDelay} up to {@code maxDelay}, {@link #DEFAULT_MULTIPLIER} and
     * {@link #DEFAULT_JITTER}, attempts without end.
     *
     * @throws IllegalArgumentException unless {@code 0 < initialDelay <= maxDelay}
     */
    public static ReconnectPolicy exponential(Duration initialDelay, Duration maxDelay) {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (initialDelay.isNegative() || initialDelay.isZero() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("need 0 < initialDelay (" + initialDelay + ") <= maxDelay ("
                    + maxDelay + ")");
        }
        return new ReconnectPolicy(true, initialDelay, maxDelay, DEFAULT_MULTIPLIER, DEFAULT_JITTER, 0);
    }

    /** @param multiplier how much each base grows over the one before; at least 1 */
    public ReconnectPolicy withMultiplier(double multiplier) {
        if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier " + multiplier + " (allowed: 1 or more)");
        }
        return new ReconnectPolicy(enabled, initialDelay, maxDelay, multiplier, jitter, maxAttempts);
    }

    /** @param jitter the largest share of a base taken off at random; 0 (none) to 1 (anywhere down to 0) */
    public ReconnectPolicy withJitter(double jitter) {
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter " + jitter + " (allowed: 0 to 1)");
        }
        return new ReconnectPolicy(enabled, initialDelay, maxDelay, multiplier, jitter, maxAttempts);
    }

    /** @param attempts attempts after one loss before the client gives up; 0 for no end (the default) */
    public ReconnectPolicy withMaxAttempts(int attempts) {
        if (attempts < 0) {
            throw new IllegalArgumentException("maxAttempts " + attempts + " (allowed: 0 for no end, or more)");
        }
        return new ReconnectPolicy(enabled, initialDelay, maxDelay, multiplier, jitter, attempts);
    }

    public boolean enabled() {
        return enabled;
    }

    public Duration initialDelay() {
        return initialDelay;
    }

    public Duration maxDelay() {
        return maxDelay;
    }

    public double multiplier() {
        return multiplier;
    }

    public double jitter() {
        return jitter;
    }

    /** 0 for no end. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** Whether attempt {@code attempt} (from 1) may be made. */
    public boolean allows(int attempt) {
        return enabled && attempt >= 1 && (maxAttempts == 0 || attempt <= maxAttempts);
    }

    /**
     * The wait before attempt {@code attempt} (from 1) without jitter: {@code min(maxDelay, initialDelay *
     * multiplier^(attempt-1))} in nanoseconds. Never less than the attempt before's.
     */
    public long baseDelayNanos(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts count from 1, not " + attempt);
        }
        long max = maxDelay.toNanos();
        // In doubles: the power overflows long long before it passes any sane cap, and then stays at the cap.
        double base = initialDelay.toNanos() * Math.pow(multiplier, attempt - 1);
        return base >= max ? max : (long) base;
    }

    /**
     * The wait before attempt {@code attempt} with jitter: the base less {@code jitter * random} of it.
     *
     * @param random a number in {@code [0, 1)}; a uniform one spreads clients evenly
     */
    public long delayNanos(int attempt, double random) {
        if (!(random >= 0 && random < 1)) {
            throw new IllegalArgumentException("random " + random + " is not in [0, 1)");
        }
        long base = baseDelayNanos(attempt);
        return base - (long) (base * jitter * random);
    }

    /** {@link #delayNanos(int, double)} with a random number of the calling thread. */
    public long delayNanos(int attempt) {
        return delayNanos(attempt, ThreadLocalRandom.current().nextDouble());
    }

    @Override
    public String toString() {
        return enabled ? "ReconnectPolicy[exponential " + initialDelay + " to " + maxDelay + ", x" + multiplier
                + ", jitter " + jitter + ", " + (maxAttempts == 0 ? "no attempt limit" : maxAttempts + " attempts")
                + "]" : "ReconnectPolicy[none]";
    }
}
