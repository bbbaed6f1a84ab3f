package dev.dxreactor.dbteleport;

import dev.dxreactor.dbteleport.TopicFixtures.Recorder;
import dev.dxreactor.hbtp.HbtpClient;
import dev.dxreactor.hbtp.HbtpClientConfig;
import dev.dxreactor.hbtp.HbtpRouter;
import dev.dxreactor.hbtp.HbtpServerConfig;
import dev.dxreactor.hbtp.HbtpServerInitializer;
import dev.dxreactor.hbtp.HbtpSubscription;
import dev.dxreactor.hbtp.HbtpTopicListener;
import dev.dxreactor.hbtp.HbtpTopics;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static dev.dxreactor.dbteleport.Fixtures.await;
import static dev.dxreactor.dbteleport.Fixtures.eventually;
import static dev.dxreactor.dbteleport.TopicFixtures.bytes;
import static dev.dxreactor.dbteleport.TopicFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Two bridges, each with its own {@link HbtpTopics}, on one real database, as two servers behind a balancer. */
class PgTopicBridgeTest {

    private static final int TOPIC = 5;

    private final TestDatabase db = TestDatabase.get();
    private final String table = TestDatabase.unique("topics");
    private final HbtpTopics topicsA = new HbtpTopics();
    private final HbtpTopics topicsB = new HbtpTopics();
    private final Recorder seenA = new Recorder();
    private final Recorder seenB = new Recorder();
    private PgTopicBridge a;
    private PgTopicBridge b;

    @BeforeEach
    void start() throws Exception {
        a = TopicFixtures.builder(db, table, topicsA, seenA).build();
        b = TopicFixtures.builder(db, table, topicsB, seenB)
                // A reconnect delay long enough to publish while B's listener is down.
                .reconnectBackoff(Duration.ofMillis(1500), Duration.ofMillis(1500)).build();
        a.startAndWait(Fixtures.PATIENCE);
        b.startAndWait(Fixtures.PATIENCE);
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
        db.execute("DROP TABLE IF EXISTS " + table);
    }

    @Test
    void aChangePublishedOnAReachesBsTopicAndAItself() throws Exception {
        long first = await(a.publishSnapshot(TOPIC, bytes("board: empty")));
        long second = await(a.publishDelta(TOPIC, bytes("+ apples 3")));
        assertThat(first).isEqualTo(1);
        assertThat(second).isEqualTo(2);

        eventually("B applied both", () -> b.appliedSeq(TOPIC) == 2);
        eventually("A applied both", () -> a.appliedSeq(TOPIC) == 2);
        assertThat(topicsB.version(TOPIC)).isEqualTo(2);
        assertThat(seenB.changes()).containsExactly("5#1 v1 SNAPSHOT board: empty", "5#2 v2 DELTA + apples 3");
        assertThat(seenA.changes()).isEqualTo(seenB.changes());
        assertThat(b.appliedInline()).isEqualTo(2);
    }

    @Test
    void interleavedPublishesFromBothGiveTheSameSequenceOnBoth() throws Exception {
        await(b.publishSnapshot(TOPIC, bytes("s0")));
        List<CompletableFuture<Long>> all = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            PgTopicBridge from = i % 3 == 0 ? b : a;
            all.add(from.publishDelta(TOPIC, bytes((from == a ? "a" : "b") + i)).toCompletableFuture());
        }
        List<Long> seqs = new ArrayList<>();
        for (CompletableFuture<Long> f : all) {
            seqs.add(f.get(20, TimeUnit.SECONDS));
        }
        assertThat(seqs).doesNotHaveDuplicates().allSatisfy(s -> assertThat(s).isBetween(2L, 41L));

        eventually("both applied all", () -> a.appliedSeq(TOPIC) == 41 && b.appliedSeq(TOPIC) == 41);
        assertThat(seenA.changes()).hasSize(41).isEqualTo(seenB.changes());
        assertThat(topicsA.version(TOPIC)).isEqualTo(topicsB.version(TOPIC)).isEqualTo(41);
        // Each publisher got back the seq its own change has in the common order.
        for (int i = 0; i < all.size(); i++) {
            String content = (i % 3 == 0 ? "b" : "a") + i;
            assertThat(seenB.of(TOPIC)).contains(TOPIC + "#" + seqs.get(i) + " DELTA " + content);
        }
    }

    @Test
    void aPayloadOver8000BytesTravelsThroughTheTable() throws Exception {
        String big = "x".repeat(12_000);
        await(a.publishSnapshot(TOPIC, bytes(big)));
        await(a.publishDelta(TOPIC, bytes("small")));

        eventually("B applied both", () -> b.appliedSeq(TOPIC) == 2);
        assertThat(seenB.changes()).containsExactly("5#1 v1 SNAPSHOT " + big, "5#2 v2 DELTA small");
        // The snapshot cannot travel inline. The small delta usually does, but when its notification arrives while
        // B is still reading the snapshot from the table, B reads on from the table and applies it from there.
        assertThat(b.appliedFromTable()).isBetween(1L, 2L);
        assertThat(b.appliedFromTable() + b.appliedInline()).isEqualTo(2);
    }

    @Test
    void changesPublishedWhileBsListenerIsDownAreCaughtUpFromTheTable() throws Exception {
        await(a.publishSnapshot(TOPIC, bytes("s")));
        eventually("B applied the snapshot", () -> b.appliedSeq(TOPIC) == 1);

        db.execute("SELECT pg_terminate_backend(" + b.listenerPid() + ")");
        eventually("B's listener noticed", () -> !b.isListening());
        await(a.publishDelta(TOPIC, bytes("d1")));
        await(a.publishDelta(TOPIC, bytes("d2")));
        await(a.publishSnapshot(6, bytes("another topic")));
        assertThat(b.appliedSeq(TOPIC)).as("nothing reaches B while it is down").isEqualTo(1);

        eventually("B caught up", () -> b.appliedSeq(TOPIC) == 3 && b.appliedSeq(6) == 1);
        assertThat(seenB.of(TOPIC)).containsExactly("5#1 SNAPSHOT s", "5#2 DELTA d1", "5#3 DELTA d2");
        assertThat(b.appliedFromTable()).isEqualTo(3);

        // And notifications work again.
        await(a.publishDelta(TOPIC, bytes("d3")));
        eventually("both applied the next one", () -> b.appliedSeq(TOPIC) == 4 && a.appliedSeq(TOPIC) == 4);
        assertThat(seenB.of(TOPIC)).isEqualTo(seenA.of(TOPIC));
        assertThat(seenB.of(6)).isEqualTo(seenA.of(6));
    }

    @Test
    void aMissedNotificationIsNoticedAtTheNextOneAndReadFromTheTable() throws Exception {
        await(a.publishSnapshot(TOPIC, bytes("s")));
        eventually("B applied the snapshot", () -> b.appliedSeq(TOPIC) == 1);
        // A change B never hears of: written straight into the log, without its NOTIFY.
        db.execute("INSERT INTO " + table + " (topic, seq, kind, payload) VALUES (" + TOPIC + ", 2, 1, 'lost')");
        await(a.publishDelta(TOPIC, bytes("after")));

        eventually("both read the gap from the table", () -> b.appliedSeq(TOPIC) == 3 && a.appliedSeq(TOPIC) == 3);
        assertThat(seenB.of(TOPIC)).containsExactly("5#1 SNAPSHOT s", "5#2 DELTA lost", "5#3 DELTA after");
        assertThat(seenA.of(TOPIC)).isEqualTo(seenB.of(TOPIC));
    }

    @Test
    void aLaterServerStartsFromTheLatestSnapshotAndTheDeltasAfterIt() throws Exception {
        await(a.publishSnapshot(TOPIC, bytes("old")));
        await(a.publishDelta(TOPIC, bytes("old delta")));
        await(a.publishSnapshot(TOPIC, bytes("new")));
        await(a.publishDelta(TOPIC, bytes("d")));
        assertThat(rows()).as("the snapshot pruned the rows before it").isEqualTo(2);

        HbtpTopics topicsC = new HbtpTopics();
        Recorder seenC = new Recorder();
        try (PgTopicBridge c = TopicFixtures.builder(db, table, topicsC, seenC).build()) {
            c.startAndWait(Fixtures.PATIENCE);
            assertThat(c.appliedSeq(TOPIC)).isEqualTo(4);
            assertThat(seenC.changes()).containsExactly("5#3 v1 SNAPSHOT new", "5#4 v2 DELTA d");
        }
    }

    @Test
    void deltasAreBoundedBetweenSnapshotsAndRefusedWithoutOne() throws Exception {
        HbtpTopics topicsC = new HbtpTopics(3);
        try (PgTopicBridge c = TopicFixtures.builder(db, table, topicsC, new Recorder()).maxDeltasPerSnapshot(3)
                .build()) {
            c.startAndWait(Fixtures.PATIENCE);
            assertThatThrownBy(() -> await(c.publishDelta(9, bytes("d")))).cause()
                    .isInstanceOfSatisfying(TopicSnapshotRequiredException.class, e -> assertThat(e.topic()).isEqualTo(9))
                    .hasMessageContaining("topic 9 has no snapshot yet");
            await(c.publishSnapshot(9, bytes("s")));
            for (int i = 0; i < 3; i++) {
                await(c.publishDelta(9, bytes("d" + i)));
            }
            assertThatThrownBy(() -> await(c.publishDelta(9, bytes("one too many")))).cause()
                    .isInstanceOf(TopicSnapshotRequiredException.class)
                    .hasMessageContaining("topic 9 already has 3 deltas since its last snapshot: publish a snapshot");
            assertThat(await(c.publishSnapshot(9, bytes("s2")))).as("no hole from the refusals").isEqualTo(5);
            assertThat(await(c.publishDelta(9, bytes("d")))).isEqualTo(6);
            eventually("applied", () -> c.appliedSeq(9) == 6);
            assertThat(topicsC.version(9)).isEqualTo(6);
        }
    }

    @Test
    void aPayloadOverTheLimitIsRefusedBeforeAnythingIsSentAndEveryBufferIsReleased() throws Exception {
        try (PgTopicBridge c = TopicFixtures.builder(db, table, new HbtpTopics(), new Recorder()).maxPayloadBytes(1000)
                .build()) {
            ByteBuf early = PooledByteBufAllocator.DEFAULT.buffer(10).writeZero(10);
            assertThatThrownBy(() -> c.publishSnapshot(1, early)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("start()");
            assertThat(early.refCnt()).isZero();

            c.startAndWait(Fixtures.PATIENCE);
            ByteBuf again = PooledByteBufAllocator.DEFAULT.buffer(1001).writeZero(1001);
            assertThatThrownBy(() -> c.publishSnapshot(1, again)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("topic 1: snapshot of 1001 bytes is larger than maxPayloadBytes (1000)");
            assertThat(again.refCnt()).isZero();
            ByteBuf badTopic = PooledByteBufAllocator.DEFAULT.buffer(1).writeByte(1);
            assertThatThrownBy(() -> c.publishSnapshot(70_000, badTopic)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("outside 0..65535");
            assertThat(badTopic.refCnt()).isZero();
            ByteBuf refused = PooledByteBufAllocator.DEFAULT.buffer(1).writeByte(1);
            assertThatThrownBy(() -> await(c.publishDelta(1, refused))).cause().isInstanceOf(IllegalStateException.class);
            assertThat(refused.refCnt()).isZero();
            ByteBuf ok = PooledByteBufAllocator.DEFAULT.buffer(1000).writeZero(1000);
            assertThat(await(c.publishSnapshot(1, ok))).isEqualTo(1);
            assertThat(ok.refCnt()).isZero();
        }
        assertThat(rows()).isEqualTo(1);
    }

    @Test
    void aRowLargerThanAReadersLimitIsNotReadAndTheTopicWaitsForItsNextSnapshot() throws Exception {
        try (PgTopicBridge small = TopicFixtures.builder(db, table, new HbtpTopics(), new Recorder())
                .maxPayloadBytes(10_000).build()) {
            small.startAndWait(Fixtures.PATIENCE);
            await(a.publishSnapshot(TOPIC, bytes("x".repeat(20_000))));
            eventually("B applied it", () -> b.appliedSeq(TOPIC) == 1);
            await(a.publishDelta(TOPIC, bytes("d")));
            await(a.publishSnapshot(TOPIC, bytes("fits")));
            eventually("the small reader took the next snapshot", () -> small.appliedSeq(TOPIC) == 3);
        }
    }

    @Test
    void anHbtpClientSubscribedToBsServerSeesADeltaPublishedThroughA() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new HbtpServerInitializer(HbtpServerConfig.builder().router(new HbtpRouter())
                        .topics(topicsB).build()))
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        List<String> received = new CopyOnWriteArrayList<>();
        try (HbtpClient client = HbtpClient.connect(server.localAddress(), HbtpClientConfig.defaults())) {
            await(a.publishSnapshot(TOPIC, bytes("board")));
            eventually("B has the snapshot", () -> b.appliedSeq(TOPIC) == 1);
            HbtpSubscription subscription = client.subscribe(TOPIC, new HbtpTopicListener() {
                @Override
                public void onSync(int topic, long version, ByteBuf state) {
                    received.add("sync v" + version + " " + state.toString(StandardCharsets.UTF_8));
                }

                @Override
                public void onDelta(int topic, long baseVersion, long version, ByteBuf delta) {
                    received.add("delta v" + baseVersion + "->v" + version + " " + delta.toString(StandardCharsets.UTF_8));
                }
            });
            eventually("the client has the state", () -> received.size() == 1);
            await(a.publishDelta(TOPIC, bytes("apples 4")));
            eventually("the client has the delta", () -> received.size() == 2);
            assertThat(received).containsExactly("sync v1 board", "delta v1->v2 apples 4");
            subscription.close();
        } finally {
            server.close().sync();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void aDeltaInTheCallersTransactionIsPublishedOnCommitOnlyAndARollbackLeavesNoHole() throws Exception {
        await(a.publishSnapshot(TOPIC, bytes("s")));
        ConnectionFactory factory = db.connectionFactory();
        Connection c = Mono.from(factory.create()).block(Fixtures.PATIENCE);
        try {
            Mono.from(c.beginTransaction()).block(Fixtures.PATIENCE);
            long rolledBack = Mono.from(a.publishDelta(c, TOPIC, bytes("never"))).block(Fixtures.PATIENCE);
            Mono.from(c.rollbackTransaction()).block(Fixtures.PATIENCE);
            assertThat(rolledBack).isEqualTo(2);

            Mono.from(c.beginTransaction()).block(Fixtures.PATIENCE);
            long committed = Mono.from(a.publishDelta(c, TOPIC, bytes("kept"))).block(Fixtures.PATIENCE);
            Mono.from(c.commitTransaction()).block(Fixtures.PATIENCE);
            assertThat(committed).as("the rolled-back seq is taken again").isEqualTo(2);

            ByteBuf autoCommit = PooledByteBufAllocator.DEFAULT.buffer(1).writeByte(1);
            assertThatThrownBy(() -> a.publishDelta(c, TOPIC, autoCommit)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("needs a transaction");
            assertThat(autoCommit.refCnt()).isZero();
        } finally {
            Mono.from(c.close()).block(Fixtures.PATIENCE);
        }
        eventually("B applied the commit", () -> b.appliedSeq(TOPIC) == 2);
        assertThat(seenB.of(TOPIC)).containsExactly("5#1 SNAPSHOT s", "5#2 DELTA kept");
    }

    @Test
    void aSnapshotReaderRunsUnderTheTopicsLockSoItSeesTheDeltaPublishedBeforeIt() throws Exception {
        String values = TestDatabase.unique("vals");
        db.execute("CREATE TABLE " + values + " (v text)", "INSERT INTO " + values + " VALUES ('old')");
        await(a.publishSnapshot(TOPIC, bytes("board old")));
        Connection writer = Mono.from(db.connectionFactory().create()).block(Fixtures.PATIENCE);
        try {
            // A write and its delta, in one transaction still open: it holds the topic's lock.
            Mono.from(writer.beginTransaction()).block(Fixtures.PATIENCE);
            Flux.from(writer.createStatement("UPDATE " + values + " SET v = 'new'").execute())
                    .concatMap(r -> r.getRowsUpdated()).blockLast(Fixtures.PATIENCE);
            Mono.from(b.publishDelta(writer, TOPIC, bytes("v -> new"))).block(Fixtures.PATIENCE);

            CompletableFuture<Long> snapshot = a.publishSnapshot(TOPIC, c -> Flux.from(c.createStatement(
                            "SELECT v FROM " + values).execute())
                    .concatMap(r -> r.map((row, meta) -> bytes("board " + row.get("v", String.class))))).toCompletableFuture();
            eventually("the snapshot waits for the topic's lock", () -> waitingAdvisoryLocks() > 0);
            Mono.from(writer.commitTransaction()).block(Fixtures.PATIENCE);

            assertThat(snapshot.get(20, TimeUnit.SECONDS)).isEqualTo(3);
        } finally {
            Mono.from(writer.close()).block(Fixtures.PATIENCE);
            db.execute("DROP TABLE " + values);
        }
        eventually("B applied the snapshot", () -> b.appliedSeq(TOPIC) == 3);
        assertThat(seenB.of(TOPIC)).containsExactly("5#1 SNAPSHOT board old", "5#2 DELTA v -> new",
                "5#3 SNAPSHOT board new");

        ByteBuf[] tooLarge = new ByteBuf[1];
        try (PgTopicBridge c = TopicFixtures.builder(db, table, new HbtpTopics(), new Recorder()).maxPayloadBytes(10)
                .build()) {
            c.startAndWait(Fixtures.PATIENCE);
            assertThatThrownBy(() -> await(c.publishSnapshot(TOPIC, conn -> Mono.fromSupplier(() -> {
                tooLarge[0] = PooledByteBufAllocator.DEFAULT.buffer(11).writeZero(11);
                return tooLarge[0];
            })))).cause().isInstanceOf(IllegalArgumentException.class).hasMessageContaining("larger than maxPayloadBytes");
            assertThat(tooLarge[0].refCnt()).isZero();
        }
    }

    @Test
    void configurationMistakesAreReportedClearly() {
        assertThatThrownBy(() -> PgTopicBridge.builder().topics(new HbtpTopics()).build())
                .hasMessage("connectionFactory is required");
        assertThatThrownBy(() -> PgTopicBridge.builder().connectionFactory(db.connectionFactory()).build())
                .hasMessage("topics is required");
        assertThatThrownBy(() -> PgTopicBridge.builder().connectionFactory(db.connectionFactory())
                .topics(new HbtpTopics()).table("log; DROP TABLE x").build())
                .hasMessageContaining("is not a plain identifier");
        assertThatThrownBy(() -> PgTopicBridge.builder().maxPayloadBytes(0)).hasMessageContaining("maxPayloadBytes");
        assertThatThrownBy(() -> PgTopicBridge.builder().maxPayloadBytes(32 << 20)).hasMessageContaining("maxPayloadBytes");
    }

    private long waitingAdvisoryLocks() {
        try (var c = db.jdbc(); var s = c.createStatement(); ResultSet r = s.executeQuery(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")) {
            r.next();
            return r.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long rows() throws Exception {
        try (var c = db.jdbc(); var s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM " + table)) {
            r.next();
            return r.getLong(1);
        } catch (Exception e) {
            throw new ExecutionException(e);
        }
    }
}
