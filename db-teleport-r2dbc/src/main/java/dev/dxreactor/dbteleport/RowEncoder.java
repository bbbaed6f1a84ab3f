package dev.dxreactor.dbteleport;

import io.netty.buffer.ByteBuf;
import io.r2dbc.spi.Row;

/**
 * Turns a query's rows into the bytes a client receives: the exact response body, written once when the
 * query runs and then served from the cache as it is.
 *
 * <pre>{@code
 * RowEncoder users = new RowEncoder() {
 *     public void encode(Row row, ByteBuf out) {
 *         out.writeLongLE(row.get("id", Long.class));
 *         out.writeCharSequence(row.get("name", String.class) + "\n", StandardCharsets.UTF_8);
 *     }
 * };
 * }</pre>
 *
 * <p>Runs on the database driver's thread and must not block. An exception fails the call (and every
 * call waiting for the same load) and nothing is cached.
 *
 * <p>The result may not pass the cache's per-entry limit ({@link DbTeleport.Builder#maxEntryBytes}): its size
 * is checked after every call, and the first one that passes the limit fails the call with
 * {@link ResultTooLargeException} at once, without waiting for the rest of the rows. {@code out} cannot grow
 * past the limit plus a quarter (at least 4 KiB): a single write past that throws
 * {@link IndexOutOfBoundsException}, and any {@code IndexOutOfBoundsException} the encoder lets escape is
 * taken as a result too large (it is the cause).
 */
@FunctionalInterface
public interface RowEncoder {

    /** Before the first row, e.g. a header; nothing by default. */
    default void start(ByteBuf out) {
    }

    /** Appends {@code row}; the row is valid only during this call. */
    void encode(Row row, ByteBuf out);

    /** After the last row, e.g. a trailer or a count patched into the header; nothing by default. */
    default void finish(ByteBuf out, int rowCount) {
    }
}
