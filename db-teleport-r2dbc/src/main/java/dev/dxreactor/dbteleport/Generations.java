package dev.dxreactor.dbteleport;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A change counter per table and one for "everything" (the epoch). A query's snapshot is the sum of the
 * epoch and its tables' counters; counters only grow, so an equal sum means none of them moved.
 *
 * <p>A load takes the snapshot before it sends its query and stores its result only if the snapshot is the
 * same afterwards; a cached entry is served only while its snapshot is still current. A query that overlaps
 * a committed change therefore never serves its result to a later reader, whatever order the store and the
 * invalidation happen in.
 */
final class Generations {

    private final ConcurrentMap<String, AtomicLong> tables = new ConcurrentHashMap<>();
    private final AtomicLong epoch = new AtomicLong();

    /** The counters of {@code names}, created on first use; a query keeps them for its snapshots. */
    AtomicLong[] counters(Set<String> names) {
        return names.stream().map(name -> tables.computeIfAbsent(name, n -> new AtomicLong()))
                .toArray(AtomicLong[]::new);
    }

    /** The epoch plus {@code counters}: compare two of these to learn whether anything changed between them. */
    long snapshot(AtomicLong[] counters) {
        long sum = epoch.get();
        for (AtomicLong counter : counters) {
            sum += counter.get();
        }
        return sum;
    }

    /** Counts a change of {@code table}; false when no registered query depends on it. */
    /** Whether some registered query reads {@code table}. */
    boolean tracks(String table) {
        return tables.containsKey(table);
    }

    boolean bump(String table) {
        AtomicLong counter = tables.get(table);
        if (counter == null) {
            return false;
        }
        counter.incrementAndGet();
        return true;
    }

    /** Makes every snapshot taken so far stale. */
    void bumpAll() {
        epoch.incrementAndGet();
    }

    /** Changes of {@code table} seen so far (0 for a table no query depends on). */
    long changes(String table) {
        AtomicLong counter = tables.get(table);
        return counter == null ? 0 : counter.get();
    }
}
