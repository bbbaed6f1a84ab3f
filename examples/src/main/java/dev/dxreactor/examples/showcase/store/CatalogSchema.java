package dev.dxreactor.examples.showcase.store;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@code items} table and its seed: {@value Catalog#SEED_ITEMS} items over the twelve categories, the same on
 * every run (names, prices and stock are functions of the id). Idempotent, also for instances that start at the
 * same time on one database: it runs in one transaction under an advisory lock, and the seed adds only missing
 * rows, so prices changed earlier are kept.
 */
public final class CatalogSchema {

    private static final List<String> ADJECTIVES = List.of("Red", "Blue", "Green", "Golden", "Silver", "Tiny",
            "Grand", "Quiet", "Swift", "Classic", "Bold", "Gentle", "Bright", "Rustic", "Modern", "Vintage");
    private static final List<String> NOUNS = List.of("Lantern", "Kettle", "Compass", "Notebook", "Blanket", "Mug",
            "Puzzle", "Basket", "Drum", "Trowel", "Clock", "Backpack");

    private CatalogSchema() {
    }

    /** Creates the table and seeds it; completes when committed. */
    public static Mono<Void> install(ConnectionFactory pool) {
        return Mono.usingWhen(Mono.from(pool.create()),
                c -> Mono.from(c.beginTransaction())
                        .thenMany(Flux.fromIterable(statements()).concatMap(sql -> execute(c, sql)))
                        .then(Mono.from(c.commitTransaction())),
                Connection::close,
                (c, error) -> Mono.from(c.rollbackTransaction()).onErrorComplete().then(Mono.from(c.close())),
                Connection::close);
    }

    static List<String> statements() {
        return List.of(
                "SELECT pg_advisory_xact_lock(6813400001)",
                "CREATE TABLE IF NOT EXISTS items (id bigint PRIMARY KEY, category text NOT NULL, name text NOT NULL,"
                        + " price_cents bigint NOT NULL CHECK (price_cents >= 0), stock int NOT NULL CHECK (stock >= 0),"
                        + " updated_at timestamptz NOT NULL DEFAULT now())",
                "CREATE INDEX IF NOT EXISTS items_by_category ON items (category, id)",
                "INSERT INTO items (id, category, name, price_cents, stock)"
                        + " SELECT g, (" + array(Catalog.CATEGORIES) + ")[1 + (g - 1) % " + Catalog.CATEGORIES.size() + "],"
                        + " (" + array(ADJECTIVES) + ")[1 + (g * 7) % " + ADJECTIVES.size() + "] || ' ' || ("
                        + array(NOUNS) + ")[1 + (g / " + Catalog.CATEGORIES.size() + ") % " + NOUNS.size() + "]"
                        + " || ' #' || g,"
                        + " 99 + (g * 7919) % 49900, (g * 31) % 200"
                        + " FROM generate_series(1, " + Catalog.SEED_ITEMS + ") g ON CONFLICT (id) DO NOTHING");
    }

    private static String array(List<String> words) {
        return words.stream().map(w -> "'" + w + "'").collect(Collectors.joining(", ", "ARRAY[", "]"));
    }

    private static Mono<Long> execute(Connection c, String sql) {
        return Flux.from(c.createStatement(sql).execute()).concatMap(r -> r.getRowsUpdated()).reduce(0L, Long::sum);
    }
}
