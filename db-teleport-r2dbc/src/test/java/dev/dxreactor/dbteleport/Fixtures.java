package dev.dxreactor.dbteleport;

import io.netty.buffer.ByteBuf;
import io.r2dbc.spi.Row;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Shared pieces of the database tests. */
final class Fixtures {

    /** Every wait in the tests is bounded by this; reaching it fails the test (nothing is timed). */
    static final Duration PATIENCE = Duration.ofSeconds(20);

    /** Writes each row's columns as text, {@code a,b;} per row: easy to compare, exact to check. */
    static final RowEncoder TEXT = new RowEncoder() {
        @Override
        public void encode(Row row, ByteBuf out) {
            int columns = row.getMetadata().getColumnMetadatas().size();
            for (int i = 0; i < columns; i++) {
                if (i > 0) {
                    out.writeByte(',');
                }
                out.writeCharSequence(String.valueOf(row.get(i)), StandardCharsets.UTF_8);
            }
            out.writeByte(';');
        }
    };

    private Fixtures() {
    }

    static DbTeleport.Builder builder(TestDatabase db, String channel) {
        return DbTeleport.builder()
                .connectionFactory(db.connectionFactory())
                .channel(channel)
                .maxEntries(10_000)
                .maxBytes(16 << 20)
                .poolSize(4)
                .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(500))
                .healthCheckInterval(Duration.ofSeconds(1))
                .connectTimeout(Duration.ofSeconds(5));
    }

    static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    }

    static String text(CacheEntry entry) {
        return new String(entry.bytes(), StandardCharsets.UTF_8);
    }

    static String read(DbTeleport cache, String id, java.util.List<?> params) throws Exception {
        return text(await(cache.get(id, params)));
    }

    /** Waits until {@code condition} holds, failing after {@link #PATIENCE}. */
    static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still not true after " + PATIENCE.toSeconds() + " s: " + what);
            }
            Thread.sleep(2);
        }
    }

    static double counter(DbTeleport cache, String name, String... tags) {
        var search = cache.meterRegistry().find(Metrics.PREFIX + name).tags(tags);
        var counter = search.counter();
        if (counter == null) {
            throw new AssertionError("no counter " + name);
        }
        return counter.count();
    }
}
