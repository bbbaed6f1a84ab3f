package dev.dxreactor.examples.showcase.store;

import dev.dxreactor.examples.showcase.messages.Item;
import io.r2dbc.spi.Readable;

/** How an item is read from the {@code items} table: the columns every query selects, and the row as an {@link Item}. */
public final class ItemRows {

    /** The select list: {@code updated_at} as microseconds since the epoch. */
    public static final String COLUMNS = "id, category, name, price_cents, stock, "
            + "(extract(epoch FROM updated_at) * 1000000)::bigint AS updated_micros";

    private ItemRows() {
    }

    public static Item item(Readable row) {
        return new Item(row.get("id", Long.class), row.get("category", String.class), row.get("name", String.class),
                row.get("price_cents", Long.class), row.get("stock", Integer.class),
                row.get("updated_micros", Long.class));
    }
}
