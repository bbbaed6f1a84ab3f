package dev.dxreactor.dbteleport;

import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static dev.dxreactor.dbteleport.Fixtures.await;
import static dev.dxreactor.dbteleport.Fixtures.counter;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * While the listener cannot connect (its server refuses, and it keeps retrying), concurrent reads of one key
 * still run the query once, all get its answer, and nothing is cached: coherence cannot be guaranteed.
 */
class ListenerDownSingleFlightTest {

    private static final int READERS = 16;

    private final TestDatabase db = TestDatabase.get();
    private final String items = TestDatabase.unique("items");
    private final String calls = TestDatabase.unique("calls");
    private DbTeleport cache;

    @BeforeEach
    void start() throws Exception {
        db.execute("CREATE TABLE " + items + " (id int PRIMARY KEY, v text NOT NULL)",
                "INSERT INTO " + items + " VALUES (1, 'a')",
                "CREATE SEQUENCE " + calls);
        cache = Fixtures.builder(db, TestDatabase.unique("ch"))
                .listenerConnectionFactory(refusing())
                .reconnectBackoff(Duration.ofMillis(5), Duration.ofMillis(5))
                .build();
        // nextval counts the executions in the database itself.
        cache.registerQuery("item", "SELECT nextval('" + calls + "'), v FROM " + items + " WHERE id = $1",
                Set.of(items), Fixtures.TEXT);
        await(cache.installTriggers());
    }

    @AfterEach
    void stop() {
        cache.close();
        db.execute("DROP TABLE " + items, "DROP SEQUENCE " + calls);
    }

    @Test
    void concurrentReadsOfOneKeyRunTheQueryOnceWhileTheListenerIsDown() throws Exception {
        assertThat(cache.isListening()).isFalse();
        List<CompletableFuture<CacheEntry>> reads = new ArrayList<>();
        // The table lock holds the first query back until every read has been made.
        try (Connection lock = db.jdbc()) {
            lock.setAutoCommit(false);
            lock.createStatement().execute("LOCK TABLE " + items + " IN ACCESS EXCLUSIVE MODE");
            for (int i = 0; i < READERS; i++) {
                reads.add(cache.get("item", List.of(1)).toCompletableFuture());
            }
            lock.commit();
        }
        CacheEntry first = await(reads.getFirst());
        assertThat(Fixtures.text(first)).isEqualTo("1,a;");
        for (CompletableFuture<CacheEntry> read : reads) {
            assertThat(await(read)).isSameAs(first);
        }
        assertThat(queriesRun()).isEqualTo(1);
        assertThat(counter(cache, "bypassed")).isEqualTo(READERS);
        assertThat(counter(cache, "misses")).isZero();
        assertThat(cache.singleFlight().inFlight()).isZero();

        assertThat(cache.entryCount()).as("nothing cached while the listener is down").isZero();
        assertThat(Fixtures.read(cache, "item", List.of(1))).isEqualTo("2,a;");
        assertThat(queriesRun()).isEqualTo(2);
    }

    @Test
    void aReadAfterACommittedWriteSeesItWhileTheListenerIsDown() throws Exception {
        assertThat(Fixtures.read(cache, "item", List.of(1))).isEqualTo("1,a;");
        db.execute("UPDATE " + items + " SET v = 'b' WHERE id = 1");
        assertThat(Fixtures.read(cache, "item", List.of(1))).isEqualTo("2,b;");
    }

    private long queriesRun() throws Exception {
        try (var c = db.jdbc(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM " + calls)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A factory for a port nobody listens on: every connect is refused at once. */
    private PostgresqlConnectionFactory refusing() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        return new PostgresqlConnectionFactory(PostgresqlConnectionConfiguration.builder()
                .host("127.0.0.1").port(port).database(db.database).username(db.user).build());
    }
}
