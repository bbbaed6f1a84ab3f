package dev.dxreactor.dbteleport;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;

import java.util.Map;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;

/**
 * The entries, in a Caffeine cache bounded by entry count, by bytes, or both.
 *
 * <p>Caffeine bounds one measure at a time, so with both limits every entry weighs at least its share of
 * the byte budget ({@code maxBytes / maxEntries}, rounded up): the weights then add up to at most
 * {@code maxBytes} only if there are at most {@code maxEntries} entries and they hold at most
 * {@code maxBytes} bytes. Both limits hold; the price is that many entries smaller than the share fill the
 * cache before the bytes do.
 */
final class EntryCache {

    private final Cache<QueryKey, CacheEntry> cache;
    private final ConcurrentMap<QueryKey, CacheEntry> map;
    private final long maxBytes;

    /**
     * @param maxEntries at most this many entries, or 0 for no limit on the count
     * @param maxBytes   at most this many bytes of entries, or 0 for no limit on the bytes
     */
    EntryCache(long maxEntries, long maxBytes, Executor executor, Counter sizeEvictions) {
        if (maxEntries < 0 || maxBytes < 0) {
            throw new IllegalArgumentException("cache limits must not be negative: maxEntries " + maxEntries
                    + ", maxBytes " + maxBytes);
        }
        if (maxEntries == 0 && maxBytes == 0) {
            throw new IllegalArgumentException("set maxEntries, maxBytes or both: an unbounded cache grows until "
                    + "the heap is full");
        }
        this.maxBytes = maxBytes;
        Caffeine<Object, Object> builder = Caffeine.newBuilder().executor(executor);
        Caffeine<QueryKey, CacheEntry> bounded;
        if (maxBytes == 0) {
            bounded = builder.maximumSize(maxEntries).evictionListener((k, v, cause) -> sizeEvictions.increment());
        } else {
            long share = maxEntries == 0 ? 1 : Math.max(1, (maxBytes + maxEntries - 1) / maxEntries);
            if (share > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("maxBytes / maxEntries is " + share + ", above "
                        + Integer.MAX_VALUE);
            }
            int minWeight = (int) share;
            bounded = builder.maximumWeight(maxBytes)
                    .<QueryKey, CacheEntry>weigher((key, entry) -> Math.max(minWeight, entry.size()))
                    .evictionListener((k, v, cause) -> sizeEvictions.increment());
        }
        cache = bounded.build();
        map = cache.asMap();
    }

    /** The entry for {@code key}, current or not, or {@code null}. */
    CacheEntry get(QueryKey key) {
        return cache.getIfPresent(key);
    }

    /** Stores {@code entry} unless it alone is larger than the byte limit; returns whether it was stored. */
    boolean put(QueryKey key, CacheEntry entry) {
        if (maxBytes != 0 && entry.size() > maxBytes) {
            return false;
        }
        cache.put(key, entry);
        return true;
    }

    /** Removes {@code key} only if it still maps to {@code entry}. */
    boolean remove(QueryKey key, CacheEntry entry) {
        return map.remove(key, entry);
    }

    /**
     * Removes every entry of a query that depends on {@code table}: one pass over the entries.
     *
     * @return how many were removed
     */
    int removeDependingOn(String table) {
        int removed = 0;
        for (Map.Entry<QueryKey, CacheEntry> e : map.entrySet()) {
            if (e.getValue().query().dependsOn(table) && map.remove(e.getKey(), e.getValue())) {
                removed++;
            }
        }
        return removed;
    }

    /** Removes everything; returns how many entries there were. */
    int clear() {
        int removed = 0;
        for (Map.Entry<QueryKey, CacheEntry> e : map.entrySet()) {
            if (map.remove(e.getKey(), e.getValue())) {
                removed++;
            }
        }
        return removed;
    }

    long entries() {
        return cache.estimatedSize();
    }

    /** Bytes held by the entries: a pass over them, for gauges and tests, not for the hot path. */
    long bytes() {
        long sum = 0;
        for (CacheEntry entry : map.values()) {
            sum += entry.size();
        }
        return sum;
    }

    /** Runs Caffeine's pending maintenance (evictions) now. */
    void cleanUp() {
        cache.cleanUp();
    }
}
