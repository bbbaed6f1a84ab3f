package dev.dxreactor.dbteleport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static dev.dxreactor.dbteleport.Fixtures.await;
import static dev.dxreactor.dbteleport.Fixtures.counter;
import static dev.dxreactor.dbteleport.Fixtures.eventually;
import static dev.dxreactor.dbteleport.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The listener's backend is terminated with {@code pg_terminate_backend}: reads bypass the cache until
 * {@code LISTEN} is back, what was written meanwhile is visible afterwards, and nothing stale is served.
 */
class ListenerRecoveryTest {

    private final TestDatabase db = TestDatabase.get();
    private final String items = TestDatabase.unique("items");
    private DbTeleport cache;

    @BeforeEach
    void start() throws Exception {
        db.execute("CREATE TABLE " + items + " (id int PRIMARY KEY, v text NOT NULL)",
                "INSERT INTO " + items + " VALUES (1, 'a')");
        // A reconnect delay long enough to act while the listener is down.
        cache = Fixtures.builder(db, TestDatabase.unique("ch"))
                .reconnectBackoff(Duration.ofMillis(1500), Duration.ofMillis(1500)).build();
        cache.registerQuery("item", "SELECT v FROM " + items + " WHERE id = $1", Set.of(items), Fixtures.TEXT);
        await(cache.installTriggers());
        cache.awaitReady(Fixtures.PATIENCE);
    }

    @AfterEach
    void stop() {
        cache.close();
        db.execute("DROP TABLE " + items);
    }

    @Test
    void aTerminatedListenerBypassesTheCacheUntilListenIsBackAndNothingStaleIsServedAfter() throws Exception {
        CacheEntry cached = await(cache.get("item", List.of(1)));
        assertThat(await(cache.get("item", List.of(1)))).isSameAs(cached);
        int pid = cache.listenerPid();
        assertThat(pid).isPositive();

        terminate(pid);
        eventually("the listener noticed", () -> !cache.isListening());

        // Down: every read goes to the database, so a write made now is seen at once, with no notification.
        double hits = counter(cache, "hits");
        db.execute("UPDATE " + items + " SET v = 'b' WHERE id = 1");
        assertThat(read(cache, "item", List.of(1))).isEqualTo("b;");
        assertThat(read(cache, "item", List.of(1))).isEqualTo("b;");
        assertThat(counter(cache, "bypassed")).isEqualTo(2);
        assertThat(counter(cache, "hits")).isEqualTo(hits);
        assertThat(cache.meterRegistry().find(Metrics.PREFIX + "listening").gauge().value()).isZero();

        eventually("LISTEN is back", cache::isListening);
        assertThat(cache.listenerPid()).isNotEqualTo(pid);
        assertThat(counter(cache, "listener.reconnects")).isEqualTo(1);

        // Back: the entry from before the outage is not served; the write from during it is.
        CacheEntry after = await(cache.get("item", List.of(1)));
        assertThat(Fixtures.text(after)).isEqualTo("b;");
        assertThat(after).isNotSameAs(cached);
        assertThat(await(cache.get("item", List.of(1)))).as("cached again").isSameAs(after);

        // And notifications work again on the new connection.
        long changes = cache.generations().changes(items);
        db.execute("UPDATE " + items + " SET v = 'c' WHERE id = 1");
        eventually("the notification arrived", () -> cache.generations().changes(items) > changes);
        assertThat(read(cache, "item", List.of(1))).isEqualTo("c;");
    }

    @Test
    void writesCommittedWhileTheListenerIsDownAreNotMissedEvenWithoutAReadDuringTheOutage() throws Exception {
        assertThat(read(cache, "item", List.of(1))).isEqualTo("a;");
        int pid = cache.listenerPid();

        terminate(pid);
        eventually("the listener noticed", () -> !cache.isListening());
        db.execute("UPDATE " + items + " SET v = 'lost-notification' WHERE id = 1");
        eventually("LISTEN is back", cache::isListening);

        assertThat(read(cache, "item", List.of(1))).isEqualTo("lost-notification;");
    }

    private void terminate(int pid) {
        db.execute("SELECT pg_terminate_backend(" + pid + ")");
    }
}
