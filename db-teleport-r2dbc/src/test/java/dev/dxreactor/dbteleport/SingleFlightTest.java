package dev.dxreactor.dbteleport;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Callers join a load only when it is at least as new as what they know. */
class SingleFlightTest {

    private final Generations generations = new Generations();
    private final RegisteredQuery query = new RegisteredQuery("q", "SELECT 1", Set.of("t"),
            Parameters.inferred("q", "SELECT 1"), Fixtures.TEXT, generations);
    private final SingleFlight flight = new SingleFlight();
    private final QueryKey key = new QueryKey("q", List.of());
    private final AtomicInteger started = new AtomicInteger();
    private CompletableFuture<CacheEntry> pending;

    @Test
    void callersWithTheSameSnapshotShareOneLoad() {
        CompletableFuture<CacheEntry> a = flight.load(key, 5, this::start);
        CompletableFuture<CacheEntry> b = flight.load(key, 5, this::start);
        CompletableFuture<CacheEntry> older = flight.load(key, 4, this::start);
        assertThat(started).hasValue(1);
        assertThat(b).isSameAs(a);
        assertThat(older).isSameAs(a);

        CacheEntry entry = entry();
        pending.complete(entry);
        assertThat(a).isCompletedWithValue(entry);
        assertThat(flight.inFlight()).isZero();
    }

    @Test
    void aCallerThatKnowsOfANewerChangeStartsItsOwnLoad() {
        CompletableFuture<CacheEntry> old = flight.load(key, 5, this::start);
        CompletableFuture<CacheEntry> oldPending = pending;
        CompletableFuture<CacheEntry> fresh = flight.load(key, 6, this::start);
        assertThat(started).hasValue(2);
        assertThat(fresh).isNotSameAs(old);

        oldPending.complete(entry());
        assertThat(flight.inFlight()).as("the newer load is still in flight").isEqualTo(1);
        assertThat(flight.load(key, 6, this::start)).isSameAs(fresh);
        pending.completeExceptionally(new IllegalStateException("boom"));
        assertThat(fresh).isCompletedExceptionally();
        assertThat(flight.inFlight()).isZero();
    }

    @Test
    void aLoadThatThrowsWhileStartingFailsItsCallers() {
        CompletableFuture<CacheEntry> failed = flight.load(key, 1, () -> {
            throw new IllegalArgumentException("bad");
        });
        assertThat(failed).isCompletedExceptionally();
        assertThat(flight.inFlight()).isZero();
    }

    private CompletableFuture<CacheEntry> start() {
        started.incrementAndGet();
        pending = new CompletableFuture<>();
        return pending;
    }

    private CacheEntry entry() {
        return new CacheEntry(query, query.snapshot(), new byte[]{1}, 1, Instant.EPOCH);
    }
}
