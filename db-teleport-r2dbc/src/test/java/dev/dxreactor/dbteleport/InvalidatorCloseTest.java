package dev.dxreactor.dbteleport;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The listener's events reach the cache in any order relative to its close: a {@code LISTEN} that completes
 * after close never makes the cache serve again, and repeated failures while down change nothing more.
 * Each test drives the events in one order, on one thread.
 */
class InvalidatorCloseTest {

    /** The epoch alone: what every snapshot adds its tables' counters to. */
    private static final AtomicLong[] NO_TABLES = new AtomicLong[0];

    private final List<String> heard = new ArrayList<>();
    private final Generations generations = new Generations();
    private final Metrics metrics = new Metrics(new SimpleMeterRegistry(), "t", () -> 0, () -> 0, () -> false);
    private final EntryCache cache = new EntryCache(10, 0, Runnable::run, metrics.sizeEvictions);
    private final Invalidator invalidator = new Invalidator(generations, cache, metrics, Runnable::run,
            new InvalidationListener() {
                @Override
                public void invalidated(String table) {
                    heard.add(table);
                }

                @Override
                public void invalidatedAll() {
                    heard.add("all");
                }
            });

    @Test
    void aListenThatCompletesAfterCloseDoesNotMakeTheCacheServe() {
        invalidator.stop();
        invalidator.listening();

        assertThat(invalidator.serving()).isFalse();
        assertThat(invalidator.firstListen()).isCompletedExceptionally();
        assertThat(heard).isEmpty();
    }

    @Test
    void aCacheThatServedStopsForGoodOnClose() {
        invalidator.listening();
        assertThat(invalidator.serving()).isTrue();

        invalidator.stop();
        invalidator.listening();
        invalidator.lost(new IllegalStateException("late"));
        invalidator.listening();

        assertThat(invalidator.serving()).isFalse();
        assertThat(heard).containsExactly("all");
    }

    @Test
    void failuresWhileDownDoNotInvalidateAgain() {
        invalidator.listening();
        long snapshot = generations.snapshot(NO_TABLES);

        invalidator.lost(new IllegalStateException("connection lost"));
        long down = generations.snapshot(NO_TABLES);
        assertThat(down).isGreaterThan(snapshot);
        for (int i = 0; i < 5; i++) {
            invalidator.lost(new IllegalStateException("connect refused"));
        }

        assertThat(invalidator.serving()).isFalse();
        assertThat(generations.snapshot(NO_TABLES))
                .as("snapshots taken while down stay current, so reads share one query").isEqualTo(down);
        assertThat(heard).containsExactly("all", "all");

        invalidator.listening();
        assertThat(invalidator.serving()).isTrue();
        assertThat(heard).containsExactly("all", "all", "all");
    }
}
