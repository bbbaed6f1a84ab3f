package dev.dxreactor.examples.showcase.store;

import dev.dxreactor.dbteleport.PgTopicBridge;
import dev.dxreactor.dbteleport.TopicSnapshotRequiredException;
import dev.dxreactor.examples.showcase.messages.Item;
import dev.dxreactor.examples.showcase.messages.PriceChange;
import dev.dxreactor.examples.showcase.messages.PriceChanged;
import dev.dxreactor.examples.showcase.topics.CategoryFeed;
import io.netty.buffer.ByteBufAllocator;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.concurrent.CompletionStage;

/**
 * The one write of the showcase: a price change. In one transaction it updates the row and publishes the item as
 * it now is as a delta of its category's topic ({@link PgTopicBridge#publishDelta(Connection, int,
 * io.netty.buffer.ByteBuf)}), so the delta goes out exactly when the write commits, in commit order. The commit
 * also fires db-teleport's trigger, which makes every instance's cached reads of {@code items} stale.
 *
 * <p>When the topic wants a snapshot first (none yet, or its deltas since the last one are used up), the write is
 * rolled back, the category's snapshot published, and the write tried once more.
 */
public final class ItemWriter {

    private static final String UPDATE = "UPDATE items SET price_cents = $2, stock = $3, updated_at = now()"
            + " WHERE id = $1 RETURNING " + ItemRows.COLUMNS;

    private final ConnectionFactory pool;
    private final PgTopicBridge bridge;
    private final CategoryFeed feed;

    public ItemWriter(ConnectionFactory pool, PgTopicBridge bridge, CategoryFeed feed) {
        this.pool = pool;
        this.bridge = bridge;
        this.feed = feed;
    }

    /**
     * Applies {@code change}; completes once committed, with the item as written and its topic seq, or fails with
     * {@link NoSuchItemException}.
     */
    public CompletionStage<PriceChanged> change(PriceChange change) {
        return attempt(change)
                .onErrorResume(TopicSnapshotRequiredException.class, wanted ->
                        Mono.fromCompletionStage(feed.publishSnapshot(wanted.topic())).then(attempt(change)))
                .toFuture();
    }

    private Mono<PriceChanged> attempt(PriceChange change) {
        return Mono.usingWhen(Mono.from(pool.create()),
                c -> Mono.from(c.beginTransaction())
                        .then(update(c, change))
                        .switchIfEmpty(Mono.error(() -> new NoSuchItemException(change.id())))
                        .flatMap(item -> publish(c, item))
                        .flatMap(changed -> Mono.from(c.commitTransaction()).thenReturn(changed)),
                Connection::close,
                (c, error) -> Mono.from(c.rollbackTransaction()).onErrorComplete().then(Mono.from(c.close())),
                Connection::close);
    }

    private static Mono<Item> update(Connection c, PriceChange change) {
        return Flux.from(c.createStatement(UPDATE).bind(0, change.id()).bind(1, change.priceCents())
                        .bind(2, change.stock()).execute())
                .concatMap(result -> result.map((row, meta) -> ItemRows.item(row)))
                .next();
    }

    private Mono<PriceChanged> publish(Connection c, Item item) {
        int topic = Catalog.topicOf(item.category());
        if (topic < 0) {
            // A row added by hand with a category the board does not have: nobody subscribes to it.
            return Mono.just(new PriceChanged(item, 0, 0));
        }
        return Mono.from(bridge.publishDelta(c, topic, ItemEncoders.item(item, ByteBufAllocator.DEFAULT)))
                .map(seq -> new PriceChanged(item, topic, seq));
    }
}
