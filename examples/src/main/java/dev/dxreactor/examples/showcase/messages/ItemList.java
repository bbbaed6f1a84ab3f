package dev.dxreactor.examples.showcase.messages;

import dev.dxreactor.teleport.TeleportHeader;
import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A list of items on the wire: {@link Item} messages back to back, nothing before, between or after them. Each
 * message's header holds its length (u32 little-endian at byte 12), which is where the next one starts. The
 * database encoder writes one message per row as the rows stream in, so a list never exists as objects.
 */
public final class ItemList {

    private ItemList() {
    }

    /** Calls {@code each} with a view of every item in {@code list}, in order (one view, re-pointed). */
    public static void forEach(ByteBuf list, Consumer<ItemView> each) {
        int at = list.readerIndex();
        int end = list.writerIndex();
        ItemView view = null;
        while (at < end) {
            if (end - at < TeleportHeader.SIZE) {
                throw new IllegalArgumentException("item list: " + (end - at) + " bytes after the last item");
            }
            int length = list.getIntLE(at + TeleportHeader.MESSAGE_LENGTH_OFFSET);
            if (length < TeleportHeader.SIZE || length > end - at) {
                throw new IllegalArgumentException("item list: an item of " + length + " bytes at " + (at - list.readerIndex()));
            }
            if (view == null) {
                view = ItemView.wrap(list, at);
            } else {
                view.rewrap(list, at);
            }
            each.accept(view);
            at += length;
        }
    }

    /** The items of {@code list} as records. */
    public static List<Item> toList(ByteBuf list) {
        List<Item> items = new ArrayList<>();
        forEach(list, view -> items.add(view.toRecord()));
        return items;
    }
}
