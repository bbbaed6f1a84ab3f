package dev.dxreactor.examples.showcase.topics;

import dev.dxreactor.dbteleport.PgTopicBridge;
import dev.dxreactor.examples.showcase.store.Catalog;
import dev.dxreactor.examples.showcase.store.ItemEncoders;
import dev.dxreactor.examples.showcase.store.ItemRows;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.r2dbc.spi.Connection;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The category topics: topic {@code n} is category {@code n} of {@link Catalog#CATEGORIES}, its state the
 * category's items (an {@code ItemList}), its deltas the items as they change ({@link dev.dxreactor.examples.showcase.store.ItemWriter}).
 * Snapshots are read under the topic's lock ({@link PgTopicBridge#publishSnapshot(int, java.util.function.Function)}),
 * so one never misses a change logged before it.
 */
public final class CategoryFeed {

    private final PgTopicBridge bridge;

    public CategoryFeed(PgTopicBridge bridge) {
        this.bridge = bridge;
    }

    /** Publishes a snapshot of every category topic that has none yet (the first instance on a database). */
    public CompletionStage<Void> publishMissingSnapshots() {
        List<CompletableFuture<Long>> published = new ArrayList<>();
        for (int topic = 1; topic <= Catalog.CATEGORIES.size(); topic++) {
            if (bridge.appliedSeq(topic) == 0) {
                published.add(publishSnapshot(topic).toCompletableFuture());
            }
        }
        return CompletableFuture.allOf(published.toArray(CompletableFuture[]::new));
    }

    /** Publishes the current items of {@code topic}'s category as its snapshot. */
    public CompletionStage<Long> publishSnapshot(int topic) {
        String category = Catalog.categoryOf(topic);
        if (category == null) {
            throw new IllegalArgumentException("topic " + topic + " is not a category");
        }
        return bridge.publishSnapshot(topic, c -> read(c, category));
    }

    private static Publisher<ByteBuf> read(Connection c, String category) {
        return Flux.from(c.createStatement("SELECT " + ItemRows.COLUMNS + " FROM items WHERE category = $1 ORDER BY id")
                        .bind(0, category).execute())
                .concatMap(result -> result.map((row, meta) -> ItemRows.item(row)))
                .collectList()
                .map(items -> ItemEncoders.itemList(items, ByteBufAllocator.DEFAULT));
    }
}
