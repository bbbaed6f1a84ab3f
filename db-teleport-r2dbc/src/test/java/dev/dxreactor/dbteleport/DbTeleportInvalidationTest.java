package dev.dxreactor.dbteleport;

import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.dxreactor.dbteleport.Fixtures.await;
import static dev.dxreactor.dbteleport.Fixtures.counter;
import static dev.dxreactor.dbteleport.Fixtures.eventually;
import static dev.dxreactor.dbteleport.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

/** Hits, misses, and invalidation by every kind of committed change, on a real PostgreSQL. */
class DbTeleportInvalidationTest {

    private final TestDatabase db = TestDatabase.get();
    private final String items = TestDatabase.unique("items");
    private final String other = TestDatabase.unique("other");
    private DbTeleport cache;

    @BeforeEach
    void start() throws Exception {
        db.execute("CREATE TABLE " + items + " (id int PRIMARY KEY, v text NOT NULL)",
                "CREATE TABLE " + other + " (id int PRIMARY KEY, v text NOT NULL)",
                "INSERT INTO " + items + " VALUES (1, 'a'), (2, 'b')",
                "INSERT INTO " + other + " VALUES (1, 'x')");
        cache = Fixtures.builder(db, TestDatabase.unique("ch")).build();
        cache.registerQuery("items", "SELECT id, v FROM " + items + " WHERE id >= $1 ORDER BY id", Set.of(items),
                Fixtures.TEXT);
        cache.registerQuery("other", "SELECT id, v FROM " + other + " ORDER BY id", Set.of(other), Fixtures.TEXT);
        await(cache.installTriggers());
        cache.awaitReady(Fixtures.PATIENCE);
    }

    @AfterEach
    void stop() {
        cache.close();
        db.execute("DROP TABLE " + items, "DROP TABLE " + other);
    }

    @Test
    void theFirstReadIsAMissAndTheSecondAHitWithTheSameEntry() throws Exception {
        CacheEntry first = await(cache.get("items", List.of(1)));
        CacheEntry second = await(cache.get("items", List.of(1)));

        assertThat(Fixtures.text(first)).isEqualTo("1,a;2,b;");
        assertThat(second).isSameAs(first);
        assertThat(counter(cache, "misses")).isEqualTo(1);
        assertThat(counter(cache, "hits")).isEqualTo(1);
        assertThat(cache.entryCount()).isEqualTo(1);
        assertThat(cache.byteCount()).isEqualTo(first.size());
        assertThat(cache.meterRegistry().find(Metrics.PREFIX + "hit.rate").gauge().value()).isEqualTo(0.5);
    }

    @Test
    void differentParametersAreDifferentEntries() throws Exception {
        assertThat(read(cache, "items", List.of(1))).isEqualTo("1,a;2,b;");
        assertThat(read(cache, "items", List.of(2))).isEqualTo("2,b;");
        assertThat(counter(cache, "misses")).isEqualTo(2);
        assertThat(cache.entryCount()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "INSERT INTO %s VALUES (3, 'c')",
            "UPDATE %s SET v = 'B' WHERE id = 2",
            "DELETE FROM %s WHERE id = 1",
            "TRUNCATE %s"})
    void aCommittedChangeToADependentTableInvalidatesItsEntries(String change) throws Exception {
        CacheEntry before = await(cache.get("items", List.of(1)));
        await(cache.get("items", List.of(2)));
        long changes = cache.generations().changes(items);

        db.execute(change.formatted(items));
        eventually("the notification arrived", () -> cache.generations().changes(items) > changes);

        CacheEntry after = await(cache.get("items", List.of(1)));
        String expected = switch (change.substring(0, 6)) {
            case "INSERT" -> "1,a;2,b;3,c;";
            case "UPDATE" -> "1,a;2,B;";
            case "DELETE" -> "2,b;";
            default -> "";
        };
        assertThat(Fixtures.text(after)).isEqualTo(expected);
        assertThat(Long.compareUnsigned(after.version(), before.version())).isPositive();
        assertThat(counter(cache, "misses")).isEqualTo(3);
        eventually("both entries were removed", () ->
                counter(cache, "evictions", "cause", "invalidated") == 2);
    }

    @Test
    void aChangeToAnUnrelatedTableEvictsNothing() throws Exception {
        CacheEntry before = await(cache.get("items", List.of(1)));
        long otherChanges = cache.generations().changes(other);
        double invalidations = counter(cache, "invalidations");

        db.execute("UPDATE " + other + " SET v = 'y'", "INSERT INTO " + other + " VALUES (2, 'z')");
        eventually("both notifications arrived", () -> cache.generations().changes(other) == otherChanges + 2);

        assertThat(await(cache.get("items", List.of(1)))).isSameAs(before);
        assertThat(counter(cache, "hits")).isEqualTo(1);
        assertThat(counter(cache, "invalidations")).isEqualTo(invalidations + 2);
        assertThat(counter(cache, "evictions", "cause", "invalidated")).isZero();
        assertThat(cache.entryCount()).isEqualTo(1);
    }

    @Test
    void aChangeWithinOneTransactionIsOneInvalidationAndAnUncommittedOneNone() throws Exception {
        await(cache.get("items", List.of(1)));
        long changes = cache.generations().changes(items);
        try (var c = db.jdbc(); var s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("INSERT INTO " + items + " VALUES (5, 'e')");
            s.execute("UPDATE " + items + " SET v = 'E' WHERE id = 5");
            assertThat(read(cache, "items", List.of(5))).as("uncommitted").isEmpty();
            c.commit();
        }
        eventually("the notification arrived", () -> cache.generations().changes(items) > changes);
        assertThat(read(cache, "items", List.of(5))).isEqualTo("5,E;");
        assertThat(cache.generations().changes(items)).isEqualTo(changes + 1);
    }

    @Test
    void aTransactionsChangeIsTimedOnceFromItsStartToItsNotificationAndInvalidatesOnce() throws Exception {
        await(cache.get("items", List.of(1)));
        long changes = cache.generations().changes(items);
        double invalidations = counter(cache, "invalidations");
        Timer latency = cache.meterRegistry().find(Metrics.PREFIX + "invalidation.latency").timer();
        assertThat(latency).isNotNull();
        long timed = latency.count();
        try (var c = db.jdbc(); var s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("INSERT INTO " + items + " VALUES (6, 'f')");
            s.execute("UPDATE " + items + " SET v = 'F' WHERE id = 6");
            c.commit();
        }
        eventually("the timed notification arrived", () -> latency.count() == timed + 1);
        assertThat(cache.generations().changes(items)).isEqualTo(changes + 1);
        assertThat(counter(cache, "invalidations")).isEqualTo(invalidations + 1);
        assertThat(latency.max(TimeUnit.SECONDS)).as("a sane time, not a misread payload").isLessThan(3600);
    }

    @Test
    void aConditionalReadIsNotModifiedWhileTheVersionIsCurrent() throws Exception {
        CacheEntry entry = await(cache.get("items", List.of(1)));

        assertThat(await(cache.get("items", List.of(1), entry.version())))
                .isEqualTo(new NotModified(entry.version()));
        assertThat(await(cache.get("items", List.of(1), entry.version() - 1))).isSameAs(entry);

        long changes = cache.generations().changes(items);
        db.execute("UPDATE " + items + " SET v = 'A' WHERE id = 1");
        eventually("the notification arrived", () -> cache.generations().changes(items) > changes);
        CacheResult result = await(cache.get("items", List.of(1), entry.version()));
        assertThat(result).isInstanceOf(CacheEntry.class);
        assertThat(Fixtures.text((CacheEntry) result)).isEqualTo("1,A;2,b;");
        assertThat(Long.compareUnsigned(result.version(), entry.version())).isPositive();
    }

    @Test
    void concurrentMissesForOneKeyRunTheQueryOnce() throws Exception {
        String calls = TestDatabase.unique("calls");
        db.execute("CREATE SEQUENCE " + calls);
        try {
            cache.registerQuery("slow", "SELECT nextval('" + calls + "'), pg_sleep(0.3)::text, v FROM " + items
                    + " WHERE id = $1", Set.of(items), Fixtures.TEXT);
            List<CompletableFuture<CacheEntry>> reads = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                reads.add(cache.get("slow", List.of(1)).toCompletableFuture());
            }
            CacheEntry first = await(reads.getFirst());
            for (CompletableFuture<CacheEntry> read : reads) {
                assertThat(await(read)).isSameAs(first);
            }
            assertThat(Fixtures.text(first)).isEqualTo("1,,a;");
            try (var c = db.jdbc(); var s = c.createStatement();
                 var rs = s.executeQuery("SELECT last_value, is_called FROM " + calls)) {
                rs.next();
                assertThat(rs.getLong(1)).as("queries run").isEqualTo(1);
            }
            assertThat(counter(cache, "misses")).isEqualTo(16);
            assertThat(cache.singleFlight().inFlight()).isZero();
        } finally {
            db.execute("DROP SEQUENCE " + calls);
        }
    }
}
