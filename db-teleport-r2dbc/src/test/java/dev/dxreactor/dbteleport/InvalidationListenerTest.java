package dev.dxreactor.dbteleport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.dxreactor.dbteleport.Fixtures.await;
import static dev.dxreactor.dbteleport.Fixtures.eventually;
import static dev.dxreactor.dbteleport.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link InvalidationListener}: what it is told, and that the cache has already applied it by then. */
class InvalidationListenerTest {

    private final TestDatabase db = TestDatabase.get();
    private final String items = TestDatabase.unique("items");
    private final String other = TestDatabase.unique("other");
    private final String untracked = TestDatabase.unique("untracked");
    /** What the listener saw, in order: a table (marked when the entry of "item" was still served), or "all". */
    private final BlockingQueue<String> heard = new LinkedBlockingQueue<>();
    private DbTeleport cache;

    @BeforeEach
    void createTables() {
        db.execute("CREATE TABLE " + items + " (id int PRIMARY KEY, v text NOT NULL)",
                "CREATE TABLE " + other + " (id int PRIMARY KEY, v text NOT NULL)",
                "CREATE TABLE " + untracked + " (id int PRIMARY KEY)",
                "INSERT INTO " + items + " VALUES (1, 'a')");
    }

    @AfterEach
    void stop() {
        if (cache != null) {
            cache.close();
        }
        db.execute("DROP TABLE " + items, "DROP TABLE " + other, "DROP TABLE " + untracked);
    }

    private void start(DbTeleport.Builder builder) throws Exception {
        cache = builder.invalidationListener(new InvalidationListener() {
            @Override
            public void invalidated(String table) {
                boolean served = table.equals(items) && cache.cached(new QueryKey("item", List.of(1))) != null;
                heard.add(table + (served ? " (still served)" : ""));
            }

            @Override
            public void invalidatedAll() {
                heard.add("all");
            }
        }).build();
        cache.registerQuery("item", "SELECT v FROM " + items + " WHERE id = $1", Set.of(items), Fixtures.TEXT);
        cache.registerQuery("other", "SELECT v FROM " + other, Set.of(other), Fixtures.TEXT);
        await(cache.installTriggers());
        // Notifies like the others, but no registered query depends on it.
        await(cache.installTriggers(Set.of(untracked)));
        cache.awaitReady(Fixtures.PATIENCE);
    }

    private String next() throws InterruptedException {
        String event = heard.poll(Fixtures.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(event).as("an invalidation within " + Fixtures.PATIENCE).isNotNull();
        return event;
    }

    @Test
    void eachCommittedChangeIsReportedWithItsTableOnceItsEntriesAreNoLongerServed() throws Exception {
        start(Fixtures.builder(db, TestDatabase.unique("ch")));
        assertThat(next()).as("LISTEN in force").isEqualTo("all");
        assertThat(read(cache, "item", List.of(1))).isEqualTo("a;");

        db.execute("UPDATE " + items + " SET v = 'b' WHERE id = 1");
        assertThat(next()).isEqualTo(items);
        assertThat(read(cache, "item", List.of(1))).isEqualTo("b;");

        db.execute("INSERT INTO " + untracked + " VALUES (1)", "INSERT INTO " + other + " VALUES (1, 'x')");
        assertThat(next()).as("no query depends on " + untracked).isEqualTo(other);
        assertThat(heard).isEmpty();
    }

    @Test
    void losingTheListenerAndListeningAgainInvalidateEverything() throws Exception {
        start(Fixtures.builder(db, TestDatabase.unique("ch")).reconnectBackoff(Duration.ofMillis(20),
                Duration.ofMillis(20)));
        assertThat(next()).isEqualTo("all");
        int pid = cache.listenerPid();

        db.execute("SELECT pg_terminate_backend(" + pid + ")");
        assertThat(next()).as("lost").isEqualTo("all");
        assertThat(next()).as("listening again").isEqualTo("all");
        eventually("LISTEN is back", cache::isListening);
        assertThat(cache.listenerPid()).isNotEqualTo(pid);
    }

    @Test
    void aListenerThatThrowsDoesNotStopInvalidation() throws Exception {
        cache = Fixtures.builder(db, TestDatabase.unique("ch")).invalidationListener(table -> {
            heard.add(table);
            throw new IllegalStateException("listener bug");
        }).build();
        cache.registerQuery("item", "SELECT v FROM " + items + " WHERE id = $1", Set.of(items), Fixtures.TEXT);
        await(cache.installTriggers());
        cache.awaitReady(Fixtures.PATIENCE);
        assertThat(read(cache, "item", List.of(1))).isEqualTo("a;");

        db.execute("UPDATE " + items + " SET v = 'b' WHERE id = 1");
        assertThat(next()).isEqualTo(items);
        assertThat(read(cache, "item", List.of(1))).isEqualTo("b;");

        db.execute("UPDATE " + items + " SET v = 'c' WHERE id = 1");
        assertThat(next()).isEqualTo(items);
        assertThat(read(cache, "item", List.of(1))).isEqualTo("c;");
    }
}
