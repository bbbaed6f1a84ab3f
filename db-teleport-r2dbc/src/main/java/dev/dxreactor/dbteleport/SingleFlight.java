package dev.dxreactor.dbteleport;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * Concurrent misses for one key share one query.
 *
 * <p>A caller joins a load in flight only if that load took its snapshot no earlier than the caller's: a
 * load that started before a change the caller already knows about could return data older than that
 * change, so the caller starts a new one instead (the old load still answers its own callers).
 */
final class SingleFlight {

    private record Load(long snapshot, CompletableFuture<CacheEntry> result) {
    }

    private final ConcurrentMap<QueryKey, Load> loads = new ConcurrentHashMap<>();

    /**
     * The result of the load in flight for {@code key}, or of a new one that {@code start} begins.
     *
     * @param key      an immutable key ({@link QueryKey#frozen()})
     * @param snapshot the caller's snapshot, taken before this call
     */
    CompletableFuture<CacheEntry> load(QueryKey key, long snapshot, Supplier<CompletableFuture<CacheEntry>> start) {
        Load mine = new Load(snapshot, new CompletableFuture<>());
        Load load = loads.compute(key, (k, current) ->
                current != null && current.snapshot() >= snapshot ? current : mine);
        if (load == mine) {
            CompletableFuture<CacheEntry> started;
            try {
                started = start.get();
            } catch (RuntimeException | Error e) {
                started = CompletableFuture.failedFuture(e);
            }
            started.whenComplete((entry, error) -> {
                loads.remove(key, mine);
                if (error != null) {
                    mine.result().completeExceptionally(error);
                } else {
                    mine.result().complete(entry);
                }
            });
        }
        return load.result();
    }

    /** Loads in flight (for tests). */
    int inFlight() {
        return loads.size();
    }
}
