package dev.dxreactor.examples.showcase.store;

import dev.dxreactor.dbteleport.RowEncoder;
import dev.dxreactor.examples.showcase.messages.Item;
import dev.dxreactor.examples.showcase.messages.ItemJson;
import dev.dxreactor.examples.showcase.messages.ItemTeleport;
import dev.dxreactor.teleport.TeleportBuffer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.r2dbc.spi.Row;

import java.util.List;

/**
 * The bytes db-teleport caches for the item queries, written row by row as the rows stream in: teleport
 * {@link Item} messages back to back for HBTP (an item, or the {@link dev.dxreactor.examples.showcase.messages.ItemList}
 * of a category), and JSON for HTTP (an object, or an array of them).
 */
public final class ItemEncoders {

    /** The encoders run on the driver's threads; each keeps its own writer (a writer is not thread-safe). */
    private static final ThreadLocal<TeleportBuffer> WRITERS =
            ThreadLocal.withInitial(() -> TeleportBuffer.allocate(ByteBufAllocator.DEFAULT));

    /** One {@link Item} message per row. */
    public static final RowEncoder TELEPORT = (row, out) -> writeTeleport(ItemRows.item(row), out);

    /** One JSON object (the query returns at most one row). */
    public static final RowEncoder JSON_OBJECT = (row, out) -> ItemJson.write(ItemRows.item(row), out);

    /** A JSON array of objects. Stateless: whether a comma is due is read from the bytes written so far. */
    public static final RowEncoder JSON_ARRAY = new RowEncoder() {
        @Override
        public void start(ByteBuf out) {
            out.writeByte('[');
        }

        @Override
        public void encode(Row row, ByteBuf out) {
            if (out.getByte(out.writerIndex() - 1) != '[') {
                out.writeByte(',');
            }
            ItemJson.write(ItemRows.item(row), out);
        }

        @Override
        public void finish(ByteBuf out, int rowCount) {
            out.writeByte(']');
        }
    };

    private ItemEncoders() {
    }

    /** Appends {@code item} as one teleport message. */
    public static void writeTeleport(Item item, ByteBuf out) {
        TeleportBuffer writer = WRITERS.get();
        try {
            ItemTeleport.write(writer, item);
            writer.finishInto(out);
        } catch (RuntimeException e) {
            writer.reset();
            throw e;
        }
    }

    /** {@code items} as an item list, in a new buffer the caller owns. */
    public static ByteBuf itemList(List<Item> items, ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(items.size() * 96);
        try {
            for (Item item : items) {
                writeTeleport(item, out);
            }
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /** {@code item} as one message, in a new buffer the caller owns. */
    public static ByteBuf item(Item item, ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(96);
        try {
            writeTeleport(item, out);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }
}
