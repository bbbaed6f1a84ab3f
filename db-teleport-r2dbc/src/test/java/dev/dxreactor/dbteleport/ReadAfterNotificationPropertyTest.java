package dev.dxreactor.dbteleport;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random interleavings of reads (through two cache instances) and committed writes from several clients:
 * every read that starts after an instance has processed a write's notification sees that write or a newer
 * one.
 *
 * <p>Every write increments one counter row in its own transaction. Row locks order the increments, commits
 * follow that order, and notifications arrive in commit order, one per transaction. So when an instance has
 * processed {@code n} notifications since the start, the counter has reached at least {@code base + n}, and
 * a read starting then must return at least that. Several keys ({@code v + $1}) read the same row.
 */
class ReadAfterNotificationPropertyTest {

    private static final int CLIENTS = 3;

    private static TestDatabase db;
    private static String table;
    private static DbTeleport one;
    private static DbTeleport two;
    private static long baseValue;
    private static long baseChangesOne;
    private static long baseChangesTwo;
    private static ExecutorService clients;
    private static final List<Connection> writers = new ArrayList<>();

    /** One step of one client. */
    record Step(int client, boolean write, int instance, int offset) {
    }

    @BeforeContainer
    static void start() throws Exception {
        db = TestDatabase.get();
        table = TestDatabase.unique("counter");
        db.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, v bigint NOT NULL)",
                "INSERT INTO " + table + " VALUES (1, 0)");
        String channel = TestDatabase.unique("ch");
        one = Fixtures.builder(db, channel).name("one").build();
        two = Fixtures.builder(db, channel).name("two").build();
        for (DbTeleport cache : List.of(one, two)) {
            cache.registerQuery("counter", "SELECT v + $1 FROM " + table + " WHERE id = 1", Set.of(table),
                    List.of(Long.class), Fixtures.TEXT);
            Fixtures.await(cache.installTriggers());
            cache.awaitReady(Fixtures.PATIENCE);
        }
        baseValue = 0;
        baseChangesOne = one.generations().changes(table);
        baseChangesTwo = two.generations().changes(table);
        for (int i = 0; i < CLIENTS; i++) {
            writers.add(db.jdbc());
        }
        clients = Executors.newFixedThreadPool(CLIENTS);
    }

    @AfterContainer
    static void stop() throws Exception {
        clients.shutdownNow();
        for (Connection c : writers) {
            c.close();
        }
        one.close();
        two.close();
        db.execute("DROP TABLE " + table);
    }

    @Property(tries = 100)
    void aReadThatStartsAfterANotificationSeesThatWriteOrANewerOne(
            @ForAll("steps") @Size(min = 1, max = 24) List<Step> steps) throws Exception {
        List<Callable<Void>> work = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            List<Step> mine = steps.stream().filter(s -> s.client() == client).toList();
            work.add(() -> {
                for (Step step : mine) {
                    if (step.write()) {
                        write(writers.get(client));
                    } else {
                        checkRead(step.instance() == 0 ? one : two, step.instance() == 0 ? baseChangesOne
                                : baseChangesTwo, step.offset());
                    }
                }
                return null;
            });
        }
        for (Future<Void> f : clients.invokeAll(work)) {
            f.get();
        }
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, CLIENTS - 1),
                        Arbitraries.integers().between(0, 99).map(p -> p < 35),
                        Arbitraries.integers().between(0, 1), Arbitraries.integers().between(0, 2))
                .as(Step::new);
        return step.list();
    }

    private static void write(Connection connection) throws Exception {
        try (Statement s = connection.createStatement()) {
            s.executeUpdate("UPDATE " + table + " SET v = v + 1 WHERE id = 1");
        }
    }

    private static void checkRead(DbTeleport cache, long baseChanges, long offset) throws Exception {
        long processed = cache.generations().changes(table) - baseChanges;
        String text = Fixtures.read(cache, "counter", List.of(offset));
        long value = Long.parseLong(text.substring(0, text.length() - 1)) - offset;
        assertThat(value).as("value read after %d notifications were processed", processed)
                .isGreaterThanOrEqualTo(baseValue + processed);
    }

    /** The property is only as strong as the counter it relies on: every write must come back as one change. */
    @Property(tries = 1)
    void everyCommittedWriteIsOneNotification() throws Exception {
        long before = one.generations().changes(table);
        long value;
        try (Statement s = writers.getFirst().createStatement()) {
            for (int i = 0; i < 5; i++) {
                s.executeUpdate("UPDATE " + table + " SET v = v + 1 WHERE id = 1");
            }
            try (ResultSet rs = s.executeQuery("SELECT v FROM " + table + " WHERE id = 1")) {
                rs.next();
                value = rs.getLong(1);
            }
        }
        long written = value - baseValue;
        Fixtures.eventually("one notification per write", () -> one.generations().changes(table) - baseChangesOne
                == written && two.generations().changes(table) - baseChangesTwo == written);
        assertThat(one.generations().changes(table) - before).isGreaterThanOrEqualTo(5);
    }
}
