package dev.dxreactor.hbtp;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReconnectPolicyTest {

    private static ReconnectPolicy policy(long initialMicros, long extraMicros, double multiplier, double jitter) {
        return ReconnectPolicy.exponential(Duration.ofNanos(initialMicros * 1000),
                        Duration.ofNanos((initialMicros + extraMicros) * 1000))
                .withMultiplier(multiplier).withJitter(jitter);
    }

    @Property(tries = 200)
    void basesNeverShrinkAndNeverPassTheCap(@ForAll @LongRange(min = 1, max = 10_000_000) long initialMicros,
                                            @ForAll @LongRange(min = 0, max = 3_600_000_000L) long extraMicros,
                                            @ForAll @DoubleRange(min = 1.0, max = 10.0) double multiplier,
                                            @ForAll @IntRange(min = 1, max = 300) int attempts) {
        ReconnectPolicy p = policy(initialMicros, extraMicros, multiplier, 0.5);
        long cap = p.maxDelay().toNanos();
        assertThat(p.baseDelayNanos(1)).isEqualTo(p.initialDelay().toNanos());
        long previous = 0;
        for (int n = 1; n <= attempts; n++) {
            long base = p.baseDelayNanos(n);
            assertThat(base).as("base of attempt %d", n).isGreaterThanOrEqualTo(previous).isLessThanOrEqualTo(cap);
            previous = base;
        }
    }

    @Property(tries = 200)
    void jitterStaysWithinItsBounds(@ForAll @LongRange(min = 1, max = 10_000_000) long initialMicros,
                                    @ForAll @LongRange(min = 0, max = 3_600_000_000L) long extraMicros,
                                    @ForAll @DoubleRange(min = 1.0, max = 10.0) double multiplier,
                                    @ForAll @DoubleRange(min = 0.0, max = 1.0) double jitter,
                                    @ForAll @IntRange(min = 1, max = 300) int attempt,
                                    @ForAll @DoubleRange(min = 0.0, max = 1.0, maxIncluded = false) double random) {
        ReconnectPolicy p = policy(initialMicros, extraMicros, multiplier, jitter);
        long base = p.baseDelayNanos(attempt);
        long delay = p.delayNanos(attempt, random);
        assertThat(delay).isLessThanOrEqualTo(base)
                .isGreaterThanOrEqualTo((long) Math.floor(base * (1 - jitter)))
                .isLessThanOrEqualTo(p.maxDelay().toNanos());
        assertThat(p.delayNanos(attempt)).isBetween((long) Math.floor(base * (1 - jitter)), base);
    }

    @Property(tries = 100)
    void attemptsStopAtTheLimit(@ForAll @IntRange(min = 0, max = 50) int maxAttempts,
                                @ForAll @IntRange(min = 1, max = 100) int attempt) {
        ReconnectPolicy p = ReconnectPolicy.exponential(Duration.ofMillis(1), Duration.ofSeconds(1))
                .withMaxAttempts(maxAttempts);
        assertThat(p.allows(attempt)).isEqualTo(maxAttempts == 0 || attempt <= maxAttempts);
    }

    @Example
    void noneIsOffAndTheDefaultsAreDocumented() {
        assertThat(ReconnectPolicy.none().enabled()).isFalse();
        assertThat(ReconnectPolicy.none().allows(1)).isFalse();
        assertThat(HbtpClientConfig.defaults().reconnect()).isSameAs(ReconnectPolicy.none());
        ReconnectPolicy p = ReconnectPolicy.exponential(Duration.ofMillis(100), Duration.ofSeconds(10));
        assertThat(p.multiplier()).isEqualTo(ReconnectPolicy.DEFAULT_MULTIPLIER);
        assertThat(p.jitter()).isEqualTo(ReconnectPolicy.DEFAULT_JITTER);
        assertThat(p.baseDelayNanos(1)).isEqualTo(100_000_000L);
        assertThat(p.baseDelayNanos(2)).isEqualTo(200_000_000L);
        assertThat(p.baseDelayNanos(60)).isEqualTo(10_000_000_000L);
    }

    @Example
    void invalidSettingsAreRefused() {
        assertThatThrownBy(() -> ReconnectPolicy.exponential(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReconnectPolicy.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        ReconnectPolicy p = ReconnectPolicy.exponential(Duration.ofMillis(1), Duration.ofSeconds(1));
        assertThatThrownBy(() -> p.withMultiplier(0.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> p.withMultiplier(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> p.withJitter(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> p.withMaxAttempts(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> p.delayNanos(1, 1.0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> p.baseDelayNanos(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HbtpClientConfig.builder().reconnect(null).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reconnect");
    }
}
