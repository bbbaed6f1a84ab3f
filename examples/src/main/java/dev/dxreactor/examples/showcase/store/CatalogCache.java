package dev.dxreactor.examples.showcase.store;

import dev.dxreactor.dbteleport.DbTeleport;
import dev.dxreactor.dbteleport.InvalidationListener;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The read queries of the showcase, cached by db-teleport as the exact bytes of their answers: an item and a
 * category's items, each as teleport messages (HBTP) and as JSON (HTTP). Every committed change to {@code items},
 * from any instance, makes them stale here through {@code LISTEN/NOTIFY}; the next read queries again.
 */
public final class CatalogCache {

    /** An item by id: one {@code Item} message, or nothing. */
    public static final String ITEM = "item";
    /** A category's items by id: an {@code ItemList}. */
    public static final String CATEGORY = "category";
    /** An item by id as a JSON object, or nothing. */
    public static final String ITEM_JSON = "item.json";
    /** A category's items by id as a JSON array. */
    public static final String CATEGORY_JSON = "category.json";

    private static final Logger LOG = LoggerFactory.getLogger("showcase.cache");

    private CatalogCache() {
    }

    /**
     * A started cache with the four queries and the trigger on {@code items}; waits until it listens.
     *
     * @param registry where the cache's meters go, or {@code null} for a registry of the cache's own
     */
    public static DbTeleport open(ShowcaseDatabase db, MeterRegistry registry) throws Exception {
        DbTeleport.Builder builder = DbTeleport.builder();
        if (registry != null) {
            builder.meterRegistry(registry);
        }
        DbTeleport cache = builder
                .connectionFactory(db.pool())
                .maxEntries(20_000)
                .maxBytes(64L << 20)
                .name("showcase")
                .invalidationListener(new InvalidationListener() {
                    @Override
                    public void invalidated(String table) {
                        // What makes the next read fresh: visible in the log of every instance on the database.
                        LOG.info("'{}' changed in the database: cached answers that read it are stale, the next read"
                                + " queries again", table);
                    }
                })
                .build();
        try {
            String byId = "SELECT " + ItemRows.COLUMNS + " FROM items WHERE id = $1";
            String byCategory = "SELECT " + ItemRows.COLUMNS + " FROM items WHERE category = $1 ORDER BY id";
            cache.registerQuery(ITEM, byId, Set.of("items"), List.of(Long.class), ItemEncoders.TELEPORT);
            cache.registerQuery(CATEGORY, byCategory, Set.of("items"), List.of(String.class), ItemEncoders.TELEPORT);
            cache.registerQuery(ITEM_JSON, byId, Set.of("items"), List.of(Long.class), ItemEncoders.JSON_OBJECT);
            cache.registerQuery(CATEGORY_JSON, byCategory, Set.of("items"), List.of(String.class),
                    ItemEncoders.JSON_ARRAY);
            cache.installTriggers().toCompletableFuture().join();
            cache.awaitReady(Duration.ofSeconds(30));
            return cache;
        } catch (Exception e) {
            cache.close();
            throw e;
        }
    }
}
