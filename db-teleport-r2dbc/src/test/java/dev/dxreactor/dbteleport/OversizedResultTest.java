package dev.dxreactor.dbteleport;

import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static dev.dxreactor.dbteleport.Fixtures.await;
import static dev.dxreactor.dbteleport.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A query whose result is larger than the per-entry limit, on a real table of many wide rows: encoding stops
 * at the limit while the rows stream in, the call fails with {@link ResultTooLargeException}, the buffer is
 * released, and the connection goes back to the pool in working order.
 */
class OversizedResultTest {

    private static final int ROWS = 4000;
    private static final int WIDTH = 1000;
    private static final int LIMIT = 256 << 10;
    /** What the encoding buffer may reach: the limit and a quarter of headroom for writes that reserve more. */
    private static final long BOUND = LIMIT + LIMIT / 4;

    private final TestDatabase db = TestDatabase.get();
    private final String wide = TestDatabase.unique("wide");
    /** Counts the heap bytes of the buffers it hands out, from allocation to release. */
    private final UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(false);
    private final ByteBufAllocatorMetric held = allocator.metric();
    /** What the encoder saw after each row: rows encoded, the largest buffer and the most bytes held. */
    private final AtomicInteger rowsEncoded = new AtomicInteger();
    private final AtomicLong largestBuffer = new AtomicLong();
    private final AtomicLong peakHeld = new AtomicLong();
    private DbTeleport cache;

    @BeforeEach
    void start() throws Exception {
        db.execute("CREATE TABLE " + wide + " (id int PRIMARY KEY, v text NOT NULL)",
                "INSERT INTO " + wide + " SELECT g, repeat('x', " + WIDTH + ") FROM generate_series(1, " + ROWS
                        + ") g");
        cache = Fixtures.builder(db, TestDatabase.unique("ch")).maxBytes(LIMIT).allocator(allocator).build();
        RowEncoder encoder = (row, out) -> {
            out.writeCharSequence(row.get("v", String.class), StandardCharsets.UTF_8);
            rowsEncoded.incrementAndGet();
            largestBuffer.accumulateAndGet(out.capacity(), Math::max);
            peakHeld.accumulateAndGet(held.usedHeapMemory(), Math::max);
        };
        cache.registerQuery("all", "SELECT v FROM " + wide + " ORDER BY id", Set.of(wide), encoder);
        cache.registerQuery("first", "SELECT v FROM " + wide + " WHERE id <= $1 ORDER BY id", Set.of(wide), encoder);
        cache.registerQuery("count", "SELECT count(*) FROM " + wide, Set.of(wide), Fixtures.TEXT);
        await(cache.installTriggers());
        cache.awaitReady(Fixtures.PATIENCE);
    }

    @AfterEach
    void stop() {
        cache.close();
        db.execute("DROP TABLE " + wide);
    }

    @Test
    void aResultLargerThanTheLimitIsAbandonedWhileItsRowsStreamIn() throws Exception {
        assertThatThrownBy(() -> await(cache.get("all", List.of())))
                .cause().isInstanceOf(ResultTooLargeException.class)
                .hasMessageContaining("'all'").hasMessageContaining(String.valueOf(LIMIT));

        assertThat(rowsEncoded.get()).as("rows encoded before giving up").isLessThanOrEqualTo(LIMIT / WIDTH + 1);
        assertThat(largestBuffer.get()).as("largest buffer").isLessThanOrEqualTo(BOUND);
        assertThat(peakHeld.get()).as("most bytes held while encoding").isBetween((long) LIMIT, BOUND);
        assertThat(held.usedHeapMemory()).as("held after the call").isZero();
        assertThat(cache.entryCount()).isZero();
    }

    @Test
    void aPerEntryLimitBelowTheCacheLimitIsTheBound() throws Exception {
        int limit = 10 * WIDTH;
        try (DbTeleport small = Fixtures.builder(db, TestDatabase.unique("ch")).maxBytes(LIMIT)
                .maxEntryBytes(limit).allocator(allocator).build()) {
            small.registerQuery("first", "SELECT v FROM " + wide + " WHERE id <= $1 ORDER BY id", Set.of(wide),
                    Fixtures.TEXT);
            assertThat(await(small.get("first", List.of(9))).size()).isEqualTo(9 * (WIDTH + 1));
            assertThatThrownBy(() -> await(small.get("first", List.of(11))))
                    .cause().isInstanceOfSatisfying(ResultTooLargeException.class, e -> {
                        assertThat(e.queryId()).isEqualTo("first");
                        assertThat(e.limit()).isEqualTo(limit);
                    });
            assertThat(held.usedHeapMemory()).isZero();
        }
    }

    @Test
    void theConnectionsOfAbandonedResultsGoBackToThePoolInWorkingOrder() throws Exception {
        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> await(cache.get("all", List.of())))
                    .cause().isInstanceOf(ResultTooLargeException.class);
            assertThat(read(cache, "first", List.of(i + 1))).hasSize((i + 1) * WIDTH);
        }
        assertThat(read(cache, "count", List.of())).isEqualTo(ROWS + ";");
    }

    @Test
    void aResultUpToTheLimitIsServedAndCached() throws Exception {
        int fits = LIMIT / WIDTH;
        CacheEntry entry = await(cache.get("first", List.of(fits)));
        assertThat(entry.size()).isEqualTo(fits * WIDTH);
        assertThat(await(cache.get("first", List.of(fits)))).isSameAs(entry);
        assertThat(largestBuffer.get()).isLessThanOrEqualTo(BOUND);
        assertThat(peakHeld.get()).isLessThanOrEqualTo(BOUND);
        assertThat(held.usedHeapMemory()).as("the entry is a copy; the buffer was released").isZero();
    }
}
