package dev.dxreactor.dbteleport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static dev.dxreactor.dbteleport.Fixtures.await;
import static dev.dxreactor.dbteleport.Fixtures.eventually;
import static dev.dxreactor.dbteleport.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

/** Two caches on one database (two servers): a commit through either side, or neither, reaches both. */
class TwoInstancesCoherenceTest {

    private final TestDatabase db = TestDatabase.get();
    private final String items = TestDatabase.unique("items");
    private final String channel = TestDatabase.unique("ch");
    private DbTeleport one;
    private DbTeleport two;

    @BeforeEach
    void start() throws Exception {
        db.execute("CREATE TABLE " + items + " (id int PRIMARY KEY, v text NOT NULL)",
                "INSERT INTO " + items + " VALUES (1, 'a')");
        one = Fixtures.builder(db, channel).name("one").build();
        two = Fixtures.builder(db, channel).name("two").build();
        for (DbTeleport cache : List.of(one, two)) {
            cache.registerQuery("item", "SELECT v FROM " + items + " WHERE id = $1", Set.of(items), Fixtures.TEXT);
            await(cache.installTriggers());
            cache.awaitReady(Fixtures.PATIENCE);
        }
    }

    @AfterEach
    void stop() {
        one.close();
        two.close();
        db.execute("DROP TABLE " + items);
    }

    @Test
    void aCommitInvalidatesTheEntryInBothInstances() throws Exception {
        for (String value : List.of("b", "c", "d")) {
            CacheEntry a = await(one.get("item", List.of(1)));
            CacheEntry b = await(two.get("item", List.of(1)));
            assertThat(a.bytes()).isEqualTo(b.bytes());
            assertThat(await(one.get("item", List.of(1)))).isSameAs(a);
            assertThat(await(two.get("item", List.of(1)))).isSameAs(b);

            long seenByOne = one.generations().changes(items);
            long seenByTwo = two.generations().changes(items);
            db.execute("UPDATE " + items + " SET v = '" + value + "' WHERE id = 1");
            eventually("both got the notification", () -> one.generations().changes(items) > seenByOne
                    && two.generations().changes(items) > seenByTwo);

            assertThat(read(one, "item", List.of(1))).isEqualTo(value + ";");
            assertThat(read(two, "item", List.of(1))).isEqualTo(value + ";");
        }
    }

    @Test
    void oneInstanceLosingItsListenerDoesNotAffectTheOther() throws Exception {
        assertThat(read(one, "item", List.of(1))).isEqualTo("a;");
        CacheEntry cachedByTwo = await(two.get("item", List.of(1)));
        db.execute("SELECT pg_terminate_backend(" + one.listenerPid() + ")");

        long seenByTwo = two.generations().changes(items);
        db.execute("UPDATE " + items + " SET v = 'b' WHERE id = 1");
        eventually("two got the notification", () -> two.generations().changes(items) > seenByTwo);
        assertThat(await(two.get("item", List.of(1)))).isNotSameAs(cachedByTwo);
        assertThat(read(two, "item", List.of(1))).isEqualTo("b;");
        assertThat(read(one, "item", List.of(1))).isEqualTo("b;");
        eventually("one listens again", one::isListening);
        assertThat(read(one, "item", List.of(1))).isEqualTo("b;");
    }
}
