package dev.dxreactor.dbteleport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static dev.dxreactor.dbteleport.Fixtures.await;
import static dev.dxreactor.dbteleport.Fixtures.counter;
import static dev.dxreactor.dbteleport.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad reads and registrations get a clear error, and nothing reaches the database. */
class BadInputTest {

    private final TestDatabase db = TestDatabase.get();
    private final String items = TestDatabase.unique("items");
    private final String calls = TestDatabase.unique("calls");
    private DbTeleport cache;

    @BeforeEach
    void start() throws Exception {
        db.execute("CREATE TABLE " + items + " (id int PRIMARY KEY, v text NOT NULL)",
                "INSERT INTO " + items + " VALUES (1, 'a')", "CREATE SEQUENCE " + calls);
        cache = Fixtures.builder(db, TestDatabase.unique("ch")).build();
        // Every query that runs advances the sequence: that is how the test sees that none ran.
        cache.registerQuery("counted", "SELECT nextval('" + calls + "'), v FROM " + items + " WHERE id = $1",
                Set.of(items), Fixtures.TEXT);
        cache.registerQuery("typed", "SELECT nextval('" + calls + "'), v FROM " + items + " WHERE v = $1 AND id = $2",
                Set.of(items), List.of(String.class, Integer.class), Fixtures.TEXT);
        cache.awaitReady(Fixtures.PATIENCE);
    }

    @AfterEach
    void stop() {
        cache.close();
        db.execute("DROP TABLE " + items, "DROP SEQUENCE " + calls);
    }

    @Test
    void badReadsAreRefusedWithAClearErrorAndSendNoQuery() throws Exception {
        assertThatThrownBy(() -> cache.get("nope", List.of(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown query id 'nope'; registered: [counted, typed]");
        assertThatThrownBy(() -> cache.get("counted", List.of()))
                .hasMessage("query 'counted' takes 1 parameter, got 0");
        assertThatThrownBy(() -> cache.get("counted", List.of(1, 2)))
                .hasMessage("query 'counted' takes 1 parameter, got 2");
        assertThatThrownBy(() -> cache.get("counted", List.of(new Object())))
                .hasMessageStartingWith("query 'counted': $1 has unsupported type java.lang.Object; supported: [");
        assertThatThrownBy(() -> cache.get("counted", Arrays.asList((Object) null)))
                .hasMessage("query 'counted': $1 is null (null parameters are not supported)");
        assertThatThrownBy(() -> cache.get("typed", List.of(1, "a")))
                .hasMessage("query 'typed': $1 must be String, got java.lang.Integer; "
                        + "$2 must be Integer, got java.lang.String");
        assertThatThrownBy(() -> cache.get("typed", List.of("a", 1L), 7))
                .hasMessage("query 'typed': $2 must be Integer, got java.lang.Long");
        assertThatThrownBy(() -> cache.get(null, List.of())).hasMessage("query id is null");
        assertThatThrownBy(() -> cache.get("counted", null))
                .hasMessage("query 'counted': parameters are null; pass List.of()");

        assertThat(counter(cache, "misses") + counter(cache, "bypassed")).isZero();
        assertThat(cache.singleFlight().inFlight()).isZero();
        assertThat(sequenceCalled()).as("no query reached the database").isFalse();

        assertThat(read(cache, "counted", List.of(1))).isEqualTo("1,a;");
        assertThat(read(cache, "typed", List.of("a", 1))).isEqualTo("2,a;");
    }

    @Test
    void aFailingQueryFailsItsCallersAndCachesNothing() {
        cache.registerQuery("broken", "SELECT no_such_column FROM " + items + " WHERE id = $1", Set.of(items),
                Fixtures.TEXT);
        assertThatThrownBy(() -> await(cache.get("broken", List.of(1))))
                .hasMessageContaining("no_such_column");
        assertThat(cache.entryCount()).isZero();
        assertThat(cache.singleFlight().inFlight()).isZero();
    }

    @Test
    void aFailingEncoderFailsItsCallersAndCachesNothing() {
        cache.registerQuery("encoder", "SELECT v FROM " + items + " WHERE id = $1", Set.of(items), (row, out) -> {
            throw new IllegalStateException("cannot encode " + row.get(0));
        });
        assertThatThrownBy(() -> await(cache.get("encoder", List.of(1)))).hasMessageContaining("cannot encode a");
        assertThat(cache.entryCount()).isZero();
    }

    @Test
    void badRegistrationsAreRefusedWithEveryProblemNamed() {
        assertThatThrownBy(() -> cache.registerQuery("x", "SELECT 1", Set.of("ok", "bad name", "1st"), Fixtures.TEXT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 bad table names")
                .hasMessageContaining("'bad name' is not a plain identifier")
                .hasMessageContaining("'1st' is not a plain identifier");
        assertThatThrownBy(() -> cache.registerQuery("x", "SELECT 1", Set.of(), Fixtures.TEXT))
                .hasMessage("table set is empty");
        assertThatThrownBy(() -> cache.registerQuery("counted", "SELECT 1", Set.of(items), Fixtures.TEXT))
                .hasMessage("query 'counted' is already registered");
        assertThatThrownBy(() -> cache.registerQuery("", "SELECT 1", Set.of(items), Fixtures.TEXT))
                .hasMessage("query id must not be empty");
        assertThatThrownBy(() -> cache.registerQuery("gap", "SELECT $1, $3", Set.of(items), Fixtures.TEXT))
                .hasMessage("query 'gap' uses $3 but not $2");
        assertThatThrownBy(() -> cache.registerQuery("t", "SELECT $1", Set.of(items), List.of(), Fixtures.TEXT))
                .hasMessage("query 't' declares 0 parameter types but its SQL uses 1 placeholders");
        assertThatThrownBy(() -> cache.registerQuery("t", "SELECT $1", Set.of(items), List.of(Object.class),
                Fixtures.TEXT)).hasMessageStartingWith("query 't' declares unsupported parameter types [$1: java.lang.Object]");
        assertThatThrownBy(() -> cache.installTriggers(Set.of("fine", "no;drop", "x".repeat(64))))
                .hasMessageContaining("2 bad table names")
                .hasMessageContaining("'no;drop' is not a plain identifier")
                .hasMessageContaining("is longer than 63 bytes");
        assertThatThrownBy(() -> Fixtures.builder(db, "bad-channel").build())
                .hasMessageContaining("channel 'bad-channel' is not a plain identifier");
        assertThatThrownBy(() -> Fixtures.builder(db, "c".repeat(49)).build())
                .hasMessageContaining("is longer than 48 bytes");
        assertThatThrownBy(() -> Fixtures.builder(db, "ch").maxEntries(0).maxBytes(0).build())
                .hasMessageContaining("set maxEntries, maxBytes or both");
        assertThatThrownBy(() -> Fixtures.builder(db, "ch").maxEntryBytes(0))
                .hasMessage("maxEntryBytes must be between 1 and 2147483639, got 0");
        assertThatThrownBy(() -> Fixtures.builder(db, "ch").maxBytes(1000).maxEntryBytes(1001).build())
                .hasMessage("maxEntryBytes (1001) must not exceed maxBytes (1000): such a result could never be cached");
    }

    private boolean sequenceCalled() throws Exception {
        try (var c = db.jdbc(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT is_called FROM " + calls)) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
