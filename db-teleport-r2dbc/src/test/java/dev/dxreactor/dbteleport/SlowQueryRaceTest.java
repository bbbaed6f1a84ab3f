package dev.dxreactor.dbteleport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static dev.dxreactor.dbteleport.Fixtures.await;
import static dev.dxreactor.dbteleport.Fixtures.counter;
import static dev.dxreactor.dbteleport.Fixtures.eventually;
import static dev.dxreactor.dbteleport.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A query that is still running when an update commits: its result is older than the update, so it must
 * answer its own caller but never be stored or shared with a caller that started after the notification.
 */
class SlowQueryRaceTest {

    private final TestDatabase db = TestDatabase.get();
    private final String items = TestDatabase.unique("items");
    private DbTeleport cache;

    @BeforeEach
    void start() throws Exception {
        db.execute("CREATE TABLE " + items + " (id int PRIMARY KEY, v text NOT NULL)",
                "INSERT INTO " + items + " VALUES (1, 'old')");
        cache = Fixtures.builder(db, TestDatabase.unique("ch")).build();
        // The statement's snapshot is taken before pg_sleep runs, so the result is the state at its start.
        cache.registerQuery("slow", "SELECT v, pg_sleep($2)::text FROM " + items + " WHERE id = $1",
                Set.of(items), Fixtures.TEXT);
        await(cache.installTriggers());
        cache.awaitReady(Fixtures.PATIENCE);
    }

    @AfterEach
    void stop() {
        cache.close();
        db.execute("DROP TABLE " + items);
    }

    @Test
    void aSlowQueryOverlappingACommittedUpdateNeverLeavesAStaleEntry() throws Exception {
        CompletableFuture<CacheEntry> slow = cache.get("slow", List.of(1, 1.0)).toCompletableFuture();
        eventually("the slow query runs", this::slowQueryRunning);

        long changes = cache.generations().changes(items);
        db.execute("UPDATE " + items + " SET v = 'new' WHERE id = 1");
        eventually("the notification arrived", () -> cache.generations().changes(items) > changes);

        // Started after the notification: must not join the slow load, must see the update.
        assertThat(read(cache, "slow", List.of(1, 0.0))).isEqualTo("new,;");
        CompletableFuture<CacheEntry> joiner = cache.get("slow", List.of(1, 1.0)).toCompletableFuture();

        assertThat(Fixtures.text(await(slow))).as("the overlap happened").isEqualTo("old,;");
        assertThat(Fixtures.text(await(joiner))).isEqualTo("new,;");
        assertThat(read(cache, "slow", List.of(1, 1.0))).isEqualTo("new,;");
        assertThat(counter(cache, "hits")).as("the last read was the joiner's entry").isEqualTo(1);
    }

    private boolean slowQueryRunning() {
        try (var c = db.jdbc(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE "
                     + "'%pg_sleep%' AND query LIKE '%" + items + "%' AND pid <> pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1) > 0;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
