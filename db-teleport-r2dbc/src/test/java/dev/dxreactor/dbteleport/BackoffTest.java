package dev.dxreactor.dbteleport;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reconnect delays double up to the maximum, stay in the upper half of their step, and start over on reset. */
class BackoffTest {

    @Test
    void delaysDoubleUpToTheMaximumWithinTheUpperHalfOfEachStep() {
        Backoff lowest = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), () -> 0.0);
        assertThat(lowest.next()).isEqualTo(Duration.ofMillis(50));
        assertThat(lowest.next()).isEqualTo(Duration.ofMillis(100));
        assertThat(lowest.next()).isEqualTo(Duration.ofMillis(200));
        assertThat(lowest.next()).isEqualTo(Duration.ofMillis(400));
        assertThat(lowest.next()).isEqualTo(Duration.ofMillis(500));
        assertThat(lowest.next()).isEqualTo(Duration.ofMillis(500));

        Backoff highest = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), () -> 0.999_999);
        assertThat(highest.next()).isBetween(Duration.ofMillis(99), Duration.ofMillis(100));
        highest.next();
        highest.reset();
        assertThat(highest.next()).isBetween(Duration.ofMillis(99), Duration.ofMillis(100));
    }

    @Test
    void jitterSpreadsTheDelays() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(100));
        long distinct = java.util.stream.IntStream.range(0, 50).mapToObj(i -> backoff.next()).distinct().count();
        assertThat(distinct).isGreaterThan(10);
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessageContaining("0 < initial <= max");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("0 < initial <= max");
    }
}
