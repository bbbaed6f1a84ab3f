package dev.dxreactor.dbteleport;

import dev.dxreactor.dbteleport.TopicFixtures.Recorder;
import dev.dxreactor.hbtp.HbtpTopics;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.dxreactor.dbteleport.Fixtures.eventually;
import static dev.dxreactor.dbteleport.TopicFixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random interleavings of snapshots and deltas published at once from two servers on one database: both end in
 * the same state, having applied the same changes in the same order, which is the log's order, and each
 * publisher's seq names its own change in it. Each try uses a topic of its own on the same two bridges.
 */
class TopicInterleavingPropertyTest {

    private static final int MAX_DELTAS = 4;
    private static final AtomicInteger TOPICS = new AtomicInteger();
    private static String table;
    private static HbtpTopics topicsA;
    private static HbtpTopics topicsB;
    private static Recorder seenA;
    private static Recorder seenB;
    private static PgTopicBridge a;
    private static PgTopicBridge b;

    @BeforeContainer
    static void start() throws Exception {
        TestDatabase db = TestDatabase.get();
        table = TestDatabase.unique("topics");
        topicsA = new HbtpTopics(MAX_DELTAS);
        topicsB = new HbtpTopics(MAX_DELTAS);
        seenA = new Recorder();
        seenB = new Recorder();
        a = TopicFixtures.builder(db, table, topicsA, seenA).maxDeltasPerSnapshot(MAX_DELTAS).build();
        b = TopicFixtures.builder(db, table, topicsB, seenB).maxDeltasPerSnapshot(MAX_DELTAS).build();
        a.startAndWait(Fixtures.PATIENCE);
        b.startAndWait(Fixtures.PATIENCE);
    }

    @AfterContainer
    static void stop() {
        a.close();
        b.close();
        TestDatabase.get().execute("DROP TABLE IF EXISTS " + table);
    }

    /** One publish: from A or B, a snapshot or a delta. */
    record Publish(boolean fromA, boolean snapshot) {
    }

    @Provide
    Arbitrary<List<Publish>> publishes() {
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.integers().between(0, 3))
                .as((fromA, kind) -> new Publish(fromA, kind == 0)).list().ofMinSize(1).ofMaxSize(12);
    }

    @Property(tries = 100)
    void bothServersApplyTheSameChangesInTheSameOrder(@ForAll("publishes") List<Publish> publishes) throws Exception {
        int topic = TOPICS.incrementAndGet();
        List<CompletableFuture<Long>> sent = new ArrayList<>();
        List<String> contents = new ArrayList<>();
        for (int i = 0; i < publishes.size(); i++) {
            Publish p = publishes.get(i);
            PgTopicBridge from = p.fromA() ? a : b;
            String content = (p.fromA() ? "A" : "B") + i;
            contents.add(content);
            // All in flight at once: the database decides the order.
            sent.add((p.snapshot() ? from.publishSnapshot(topic, bytes(content)) : from.publishDelta(topic, bytes(content)))
                    .toCompletableFuture());
        }
        Map<Long, String> committed = new TreeMap<>();
        for (int i = 0; i < sent.size(); i++) {
            try {
                long seq = sent.get(i).get(20, TimeUnit.SECONDS);
                committed.put(seq, (publishes.get(i).snapshot() ? "SNAPSHOT " : "DELTA ") + contents.get(i));
            } catch (java.util.concurrent.ExecutionException e) {
                // A delta with no snapshot before it, or one too many: refused, the same for every server.
                assertThat(e.getCause()).isInstanceOf(TopicSnapshotRequiredException.class);
                assertThat(publishes.get(i).snapshot()).isFalse();
            }
        }
        long last = committed.size();
        assertThat(committed.keySet()).as("seqs without holes").containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(1, last).boxed().toList());

        eventually("both applied everything", () -> a.appliedSeq(topic) == last && b.appliedSeq(topic) == last);
        List<String> expected = new ArrayList<>();
        committed.forEach((seq, change) -> expected.add(topic + "#" + seq + " " + change));
        assertThat(seenA.of(topic)).isEqualTo(expected);
        assertThat(seenB.of(topic)).isEqualTo(expected);
        assertThat(topicsA.version(topic)).isEqualTo(topicsB.version(topic));
        if (last == 0) {
            assertThat(topicsA.version(topic)).isZero();
        }
    }
}
