package dev.dxreactor.dbteleport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.ReferenceCounted;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Statement;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.List;

/**
 * Runs a registered query on a pooled connection and encodes its rows into one exact-size byte array of at
 * most {@code maxEntryBytes}.
 *
 * <p>The rows are encoded as they stream in, and the size is checked after every row: the first row that
 * takes the result past the limit cancels the row stream (the driver discards the rest of the result and the
 * connection goes back to the pool in working order), releases the buffer and fails the call with
 * {@link ResultTooLargeException}. A result is never held whole before it is found too big.
 *
 * <p>The buffer cannot grow past the limit plus a quarter: some writes reserve more than they write (Netty's
 * UTF-8 {@code writeCharSequence} reserves three bytes per char), and the headroom lets them near the limit,
 * while a single row's write is still cut off there.
 */
final class QueryRunner {

    private static final int INITIAL_CAPACITY = 256;
    private static final int MIN_HEADROOM = 4096;

    private final ConnectionFactory pool;
    private final ByteBufAllocator allocator;
    private final int maxEntryBytes;
    private final int maxCapacity;

    QueryRunner(ConnectionFactory pool, ByteBufAllocator allocator, int maxEntryBytes) {
        this.pool = pool;
        this.allocator = allocator;
        this.maxEntryBytes = maxEntryBytes;
        this.maxCapacity = (int) Math.min(Integer.MAX_VALUE - 8L,
                maxEntryBytes + Math.max(maxEntryBytes / 4L, MIN_HEADROOM));
    }

    /** The encoded rows of {@code query} with {@code params} (already checked). */
    Mono<byte[]> run(RegisteredQuery query, List<?> params) {
        return Mono.usingWhen(pool.create(), connection -> execute(connection, query, params), Connection::close)
                // A call that cancels its row stream (a result too large) leaves the driver's queued rows to be
                // discarded; the driver drops them without a release unless the subscriber's context says how.
                .doOnDiscard(ReferenceCounted.class, ReferenceCountUtil::safeRelease);
    }

    private Mono<byte[]> execute(Connection connection, RegisteredQuery query, List<?> params) {
        Statement statement = connection.createStatement(query.sql());
        for (int i = 0; i < params.size(); i++) {
            statement.bind(i, params.get(i));
        }
        RowEncoder encoder = query.encoder();
        // Eager clean-up: the buffer is released before the call completes, whether it failed or not.
        return Mono.using(() -> allocator.heapBuffer(Math.min(INITIAL_CAPACITY, maxEntryBytes), maxCapacity),
                out -> encode(statement, query, encoder, out), ByteBuf::release, true);
    }

    private Mono<byte[]> encode(Statement statement, RegisteredQuery query, RowEncoder encoder, ByteBuf out) {
        return Mono.fromRunnable(() -> {
                    try {
                        encoder.start(out);
                    } catch (IndexOutOfBoundsException e) {
                        throw tooLarge(query, e);
                    }
                    checkSize(query, out);
                })
                .thenMany(Flux.from(statement.execute()))
                .concatMap(result -> result.map((row, metadata) -> {
                    try {
                        encoder.encode(row, out);
                    } catch (IndexOutOfBoundsException e) {
                        throw tooLarge(query, e);
                    }
                    checkSize(query, out);
                    return 1;
                }))
                .count()
                .map(rows -> {
                    try {
                        encoder.finish(out, Math.toIntExact(rows));
                    } catch (IndexOutOfBoundsException e) {
                        throw tooLarge(query, e);
                    }
                    checkSize(query, out);
                    return ByteBufUtil.getBytes(out);
                });
    }

    private void checkSize(RegisteredQuery query, ByteBuf out) {
        if (out.writerIndex() > maxEntryBytes) {
            throw tooLarge(query, null);
        }
    }

    /**
     * A write past the buffer's maximum capacity throws {@link IndexOutOfBoundsException}; {@link RowEncoder}
     * documents that such an exception is taken as a result too large.
     */
    private ResultTooLargeException tooLarge(RegisteredQuery query, IndexOutOfBoundsException cause) {
        return new ResultTooLargeException(query.id(), maxEntryBytes, cause);
    }
}
