package dev.dxreactor.dbteleport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static dev.dxreactor.dbteleport.Fixtures.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The entry and byte limits hold, and an entry is always whole, however eviction interleaves with reads. */
class CacheLimitsTest {

    private final Generations generations = new Generations();
    private final RegisteredQuery query = new RegisteredQuery("q", "SELECT $1", Set.of("t"),
            Parameters.inferred("q", "SELECT $1"), Fixtures.TEXT, generations);
    private final Counter evictions = new SimpleMeterRegistry().counter("evictions");

    @Test
    void theEntryLimitHolds() {
        EntryCache cache = new EntryCache(10, 0, Runnable::run, evictions);
        for (int i = 0; i < 100; i++) {
            cache.put(key(i), entry(i, 1 + i % 7));
        }
        cache.cleanUp();
        assertThat(cache.entries()).isEqualTo(10);
        assertThat(evictions.count()).isEqualTo(90);
    }

    @Test
    void theByteLimitHolds() {
        EntryCache cache = new EntryCache(0, 1000, Runnable::run, evictions);
        for (int i = 0; i < 100; i++) {
            cache.put(key(i), entry(i, 90 + i % 20));
        }
        cache.cleanUp();
        assertThat(cache.bytes()).isBetween(1L, 1000L);
        assertThat(cache.entries()).isBetween(8L, 11L);
    }

    @Test
    void bothLimitsHoldTogether() {
        EntryCache cache = new EntryCache(20, 1000, Runnable::run, evictions);
        for (int i = 0; i < 200; i++) {
            cache.put(key(i), entry(i, i % 2 == 0 ? 5 : 120));
            cache.cleanUp();
            assertThat(cache.entries()).isLessThanOrEqualTo(20);
            assertThat(cache.bytes()).isLessThanOrEqualTo(1000);
        }
    }

    @Test
    void anEntryLargerThanTheByteLimitIsServedButNotStored() {
        EntryCache cache = new EntryCache(0, 100, Runnable::run, evictions);
        assertThat(cache.put(key(1), entry(1, 101))).isFalse();
        assertThat(cache.put(key(2), entry(2, 100))).isTrue();
        assertThat(cache.entries()).isEqualTo(1);
    }

    @Test
    void evictionNeverServesAPartialEntry() throws Exception {
        EntryCache cache = new EntryCache(16, 4096, Runnable::run, evictions);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong checked = new AtomicLong();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> work = new ArrayList<>();
            work.add(threads.submit(() -> {
                for (int i = 0; !stop.get(); i++) {
                    cache.put(key(i % 256), entry(i % 256, 1 + (i * 31) % 600));
                }
            }));
            for (int r = 0; r < 3; r++) {
                work.add(threads.submit(() -> {
                    for (int i = 0; checked.get() < 200_000; i++) {
                        CacheEntry entry = cache.get(key(i % 256));
                        if (entry != null) {
                            assertWhole(entry, i % 256);
                            checked.incrementAndGet();
                        }
                    }
                    stop.set(true);
                }));
            }
            for (Future<?> f : work) {
                f.get(Fixtures.PATIENCE.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            stop.set(true);
            threads.shutdownNow();
        }
        assertThat(evictions.count()).isPositive();
    }

    /** Through the whole stack, against the database: a small cache keeps its limits and its answers right. */
    @Test
    void aSmallCacheOnTheDatabaseKeepsItsLimitsAndAnswersRight() throws Exception {
        TestDatabase db = TestDatabase.get();
        try (DbTeleport cache = Fixtures.builder(db, TestDatabase.unique("ch")).maxEntries(5).maxBytes(64).build()) {
            cache.registerQuery("square", "SELECT $1::int * $1::int", Set.of("t"), Fixtures.TEXT);
            cache.awaitReady(Fixtures.PATIENCE);
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 20; i++) {
                    assertThat(Fixtures.read(cache, "square", List.of(i))).isEqualTo(i * i + ";");
                }
            }
            cache.cache().cleanUp();
            assertThat(cache.entryCount()).isLessThanOrEqualTo(5);
            assertThat(cache.byteCount()).isLessThanOrEqualTo(64);
            assertThat(Fixtures.counter(cache, "evictions", "cause", "size")).isPositive();
            CacheEntry entry = await(cache.get("square", List.of(3)));
            assertThat(Fixtures.text(entry)).isEqualTo("9;");
        }
    }

    private static void assertWhole(CacheEntry entry, int id) {
        ByteBuf content = entry.content();
        assertThat(content.readableBytes()).isEqualTo(entry.size()).isPositive();
        for (int i = 0; i < content.readableBytes(); i++) {
            if (content.getByte(content.readerIndex() + i) != (byte) id) {
                throw new AssertionError("byte " + i + " of entry " + id + " is " + content.getByte(i));
            }
        }
    }

    private static QueryKey key(int i) {
        return new QueryKey("q", List.of(i));
    }

    private CacheEntry entry(int id, int size) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) id);
        return new CacheEntry(query, query.snapshot(), bytes, id, Instant.EPOCH);
    }
}
