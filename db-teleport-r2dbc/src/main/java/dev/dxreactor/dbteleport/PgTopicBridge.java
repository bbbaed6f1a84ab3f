package dev.dxreactor.dbteleport;

import dev.dxreactor.hbtp.HbtpTopics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * HBTP topics kept the same on every server that shares a PostgreSQL database: a change published on any server
 * reaches the subscribers of all of them, in the same order everywhere.
 *
 * <pre>{@code
 * HbtpTopics topics = new HbtpTopics();                      // served by this server's HbtpServerConfig
 * PgTopicBridge bridge = PgTopicBridge.builder()
 *         .connectionFactory(ConnectionFactories.get("r2dbc:postgresql://app:secret@db:5432/shop"))
 *         .topics(topics)
 *         .build();
 * bridge.start().toCompletableFuture().join();               // log table, LISTEN, caught up
 * bridge.publishSnapshot(7, snapshot);                       // CompletionStage<Long>: the seq, once committed
 * bridge.publishDelta(7, delta);
 * }</pre>
 *
 * <p><b>How.</b> Each publish is one transaction that appends a row to a log table ({@code dx_topic_log} by
 * default) and sends {@code pg_notify(channel, '<topic>:<seq>[:<kind>:<base64 payload>]')}: the payload inline
 * when the text stays well under PostgreSQL's 8000-byte limit, else only the reference. Every server, the
 * publisher included, applies changes only as they come back from the database, in seq order per topic, to its
 * {@link HbtpTopics} ({@code publish} for a snapshot, {@code publishDelta} for a delta). A seq that skips one (a
 * missed notification), a reference without payload, or {@code LISTEN} coming back after an outage makes it
 * read the missing rows from the table. So each topic has one order, the log's, on every server.
 *
 * <p><b>Seq.</b> Each topic's changes are numbered 1, 2, 3, ... with no hole; the number is the same on every
 * server (the version {@code HbtpTopics} gives a change is the server's own, see the README).
 *
 * <p><b>Bounds.</b> A payload over {@link Builder#maxPayloadBytes} is refused before anything is sent; at most
 * {@link Builder#maxDeltasPerSnapshot} deltas follow a snapshot (the next one is refused until a snapshot
 * comes), and a snapshot deletes the rows before it, so the table keeps at most that many plus one rows per
 * topic; at most {@link Builder#maxPendingPublishes} publishes wait at once. Reading the table applies one row
 * at a time, and a row larger than {@code maxPayloadBytes} (written by something else) is not read.
 *
 * <p>The bridge owns publishing to the topics it is given: publish to them only through it.
 */
public final class PgTopicBridge implements AutoCloseable {

    /** Log table used when the builder sets none. */
    public static final String DEFAULT_TABLE = "dx_topic_log";
    /** NOTIFY channel used when the builder sets none. */
    public static final String DEFAULT_CHANNEL = "dx_topic_log";

    private final HbtpTopics topics;
    private final String table;
    private final String channel;
    private final int maxPayloadBytes;
    private final int maxDeltasPerSnapshot;
    private final int maxPendingPublishes;
    private final ConnectionPool ownedPool;
    private final TopicLog log;
    private final TopicApplier applier;
    private final NotificationListener listener;
    private final AtomicInteger pending = new AtomicInteger();
    private final CompletableFuture<Void> created = new CompletableFuture<>();
    private volatile boolean started;
    private volatile boolean closed;

    private PgTopicBridge(Builder b) {
        if (b.topics == null) {
            throw new IllegalArgumentException("topics is required");
        }
        topics = b.topics;
        table = Identifiers.checkOne("table", b.table);
        channel = TriggerSql.checkChannel(b.channel);
        maxPayloadBytes = b.maxPayloadBytes;
        maxDeltasPerSnapshot = b.maxDeltasPerSnapshot;
        maxPendingPublishes = b.maxPendingPublishes;
        DatabaseConnections.Opened connections = b.connections.open();
        ownedPool = connections.ownedPool();
        log = new TopicLog(connections.queries(), table, channel);
        applier = new TopicApplier(topics, log, maxPayloadBytes, b.listener, b.connections.newBackoff());
        listener = b.connections.newListener(connections, channel, applier);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Creates the log table if needed (idempotent, also from several servers at once), then listens and brings
     * every topic of the table up to date. Publishing may start as soon as this is called.
     *
     * @return completes once {@code LISTEN} is in force and the topics hold what the table held then; fails
     *         when the table cannot be created
     */
    public synchronized CompletionStage<Void> start() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (!started) {
            started = true;
            log.create().subscribe(null, created::completeExceptionally, () -> {
                created.complete(null);
                listener.start();
            });
        }
        return created.thenCompose(ignored -> applier.firstCatchUp());
    }

    /** Waits for {@link #start()}; for start-up code and tests. */
    public void startAndWait(Duration timeout) throws Exception {
        start().toCompletableFuture().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Publishes the whole state of {@code topic}: every server's {@link HbtpTopics#publish} gets it, after the
     * changes committed before it. Rows of the topic before it are deleted.
     *
     * @param snapshot released by the bridge, always, also when this throws or the stage fails
     * @return the change's seq, once committed
     * @throws IllegalArgumentException for a topic outside 0..65535 or a payload over {@code maxPayloadBytes}
     * @throws IllegalStateException    before {@link #start()}, after {@link #close()}
     */
    public CompletionStage<Long> publishSnapshot(int topic, ByteBuf snapshot) {
        return publish(topic, TopicChangeKind.SNAPSHOT, snapshot);
    }

    /**
     * Publishes a change of {@code topic}: every server's {@link HbtpTopics#publishDelta} gets it, right after
     * the change committed before it. The stage fails with {@link TopicSnapshotRequiredException} when the topic
     * has no snapshot yet, or already {@code maxDeltasPerSnapshot} deltas since its last one (publish a snapshot,
     * then the delta again), and with {@link IllegalStateException} when {@code maxPendingPublishes} publishes are
     * waiting already.
     *
     * @param delta released by the bridge, always, also when this throws or the stage fails
     * @return the change's seq, once committed
     * @throws IllegalArgumentException for a topic outside 0..65535 or a payload over {@code maxPayloadBytes}
     * @throws IllegalStateException    before {@link #start()}, after {@link #close()}
     */
    public CompletionStage<Long> publishDelta(int topic, ByteBuf delta) {
        return publish(topic, TopicChangeKind.DELTA, delta);
    }

    /**
     * Publishes a snapshot read under the topic's lock: in a transaction of the bridge's own, the topic's lock is
     * taken, then {@code reader} runs on that connection and what it gives is appended as the snapshot. A change
     * published after it (its lock is taken after this one's) comes after it in the log, and one published before
     * it committed before the reader's statements began, so the reader sees it: a snapshot never goes behind a
     * delta that precedes it. Use it when the snapshot is read from tables the deltas are written to, together
     * with {@link #publishDelta(Connection, int, ByteBuf)}.
     *
     * @param reader gives the snapshot's bytes (released by the bridge); it must not commit
     * @return the snapshot's seq, once committed; fails with {@link IllegalArgumentException} when the reader's
     *         bytes pass {@code maxPayloadBytes}
     * @throws IllegalArgumentException for a topic outside 0..65535
     * @throws IllegalStateException    before {@link #start()}, after {@link #close()}
     */
    public CompletionStage<Long> publishSnapshot(int topic, Function<Connection, ? extends Publisher<ByteBuf>> reader) {
        Objects.requireNonNull(reader, "reader");
        checkTopic(topic);
        checkOpen();
        return pendingPublish(() -> log.appendSnapshot(topic, reader, maxPayloadBytes, maxDeltasPerSnapshot));
    }

    /**
     * Publishes a delta in the caller's transaction on {@code connection} (a transactional outbox): the change is
     * published exactly when the caller commits, and not at all when it rolls back (leaving no hole in the seqs).
     * The topic's lock is held from here to the end of the transaction, so writes that change rows before their
     * delta and commit with it reach subscribers in the order they committed. Same checks as
     * {@link #publishDelta(int, ByteBuf)}.
     *
     * @param connection an R2DBC PostgreSQL connection in a transaction ({@code beginTransaction()}), not in
     *                   auto-commit: each statement would commit on its own and release the lock at once
     * @param delta      released by the bridge, always
     * @return the change's seq once written (it is published when the caller commits)
     * @throws IllegalArgumentException for a topic outside 0..65535 or a payload over {@code maxPayloadBytes}
     * @throws IllegalStateException    before {@link #start()}, after {@link #close()}, or in auto-commit
     */
    public Publisher<Long> publishDelta(Connection connection, int topic, ByteBuf delta) {
        byte[] bytes = take(topic, TopicChangeKind.DELTA, delta);
        if (connection.isAutoCommit()) {
            throw new IllegalStateException("publishDelta(connection, ...) needs a transaction: begin one first");
        }
        return log.appendIn(connection, topic, TopicChangeKind.DELTA, bytes, maxDeltasPerSnapshot);
    }

    private CompletionStage<Long> publish(int topic, TopicChangeKind kind, ByteBuf payload) {
        byte[] bytes = take(topic, kind, payload);
        return pendingPublish(() -> log.append(topic, kind, bytes, maxDeltasPerSnapshot));
    }

    /** Checks a publish and copies its payload out; the buffer is released whatever happens. */
    private byte[] take(int topic, TopicChangeKind kind, ByteBuf payload) {
        try {
            Objects.requireNonNull(payload, "payload");
            checkTopic(topic);
            if (payload.readableBytes() > maxPayloadBytes) {
                throw new IllegalArgumentException("topic " + topic + ": " + kind.name().toLowerCase() + " of "
                        + payload.readableBytes() + " bytes is larger than maxPayloadBytes (" + maxPayloadBytes + ")");
            }
            checkOpen();
            return ByteBufUtil.getBytes(payload);
        } finally {
            if (payload != null) {
                payload.release();
            }
        }
    }

    private static void checkTopic(int topic) {
        if (topic < 0 || topic > 0xFFFF) {
            throw new IllegalArgumentException("topic id " + topic + " is outside 0..65535");
        }
    }

    private void checkOpen() {
        if (!started || closed) {
            throw new IllegalStateException(closed ? "closed" : "start() the bridge before publishing");
        }
    }

    /** Runs {@code append} once the table exists, unless {@code maxPendingPublishes} are waiting already. */
    private CompletionStage<Long> pendingPublish(Supplier<Mono<Long>> append) {
        if (pending.incrementAndGet() > maxPendingPublishes) {
            pending.decrementAndGet();
            return CompletableFuture.failedFuture(new IllegalStateException(maxPendingPublishes
                    + " publishes are waiting already (maxPendingPublishes)"));
        }
        return created.thenCompose(ignored -> append.get().toFuture())
                .whenComplete((seq, error) -> pending.decrementAndGet());
    }

    /** The last seq of {@code topic} this server applied to its topics; 0 before any. */
    public long appliedSeq(int topic) {
        return applier.applied(topic);
    }

    /** Whether {@code LISTEN} is in force now: changes arrive as they are committed. */
    public boolean isListening() {
        return applier.isListening() && listener.isListening();
    }

    /** The topics the bridge applies changes to. */
    public HbtpTopics topics() {
        return topics;
    }

    /** The log table. */
    public String table() {
        return table;
    }

    /** The NOTIFY channel. */
    public String channel() {
        return channel;
    }

    /** Changes applied straight from their notification. */
    public long appliedInline() {
        return applier.appliedInline.sum();
    }

    /** Changes applied from rows read from the table (catch-ups). */
    public long appliedFromTable() {
        return applier.appliedFromTable.sum();
    }

    /** The backend process id of the listening connection, or 0 while there is none. */
    int listenerPid() {
        return listener.backendPid();
    }

    TopicApplier applier() {
        return applier;
    }

    /** Stops listening and closes the pool the bridge created (not one it was given); the topics stay as they are. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        applier.close();
        listener.close();
        created.completeExceptionally(new IllegalStateException("closed"));
        if (ownedPool != null) {
            ownedPool.close().block(Duration.ofSeconds(10));
        }
    }

    /** Settings of a {@link PgTopicBridge}; the connection factory and the topics are required. */
    public static final class Builder {
        /** {@link #maxPayloadBytes} by default: 1 MiB, HBTP's default frame size. */
        public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1 << 20;
        /** The largest {@link #maxPayloadBytes}: HBTP's default message limit. */
        public static final int MAX_PAYLOAD_BYTES = 16 << 20;

        private final DatabaseConnections connections = new DatabaseConnections(4);
        private HbtpTopics topics;
        private String table = DEFAULT_TABLE;
        private String channel = DEFAULT_CHANNEL;
        private int maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;
        private int maxDeltasPerSnapshot = HbtpTopics.DEFAULT_MAX_DELTAS_PER_SNAPSHOT;
        private int maxPendingPublishes = 1024;
        private TopicChangeListener listener;

        private Builder() {
        }

        /**
         * Where publishes and catch-up reads run. An r2dbc-pool {@code ConnectionPool} is used as it is (and the
         * listener connects through the factory it wraps); any other factory gets a pool of {@link #poolSize}
         * connections that {@link PgTopicBridge#close()} closes.
         */
        public Builder connectionFactory(ConnectionFactory factory) {
            connections.factory(factory);
            return this;
        }

        /** Where the LISTEN connection comes from, when it must differ (e.g. bypass PgBouncer); never a pool. */
        public Builder listenerConnectionFactory(ConnectionFactory factory) {
            connections.listenerFactory(factory);
            return this;
        }

        /** The topics changes are applied to (those an {@code HbtpServerConfig} serves). */
        public Builder topics(HbtpTopics topics) {
            this.topics = Objects.requireNonNull(topics, "topics");
            return this;
        }

        /** The log table: a plain identifier; {@value PgTopicBridge#DEFAULT_TABLE} by default. */
        public Builder table(String table) {
            this.table = table;
            return this;
        }

        /** The NOTIFY channel: a plain identifier of at most 48 bytes; {@value PgTopicBridge#DEFAULT_CHANNEL} by default. */
        public Builder channel(String channel) {
            this.channel = channel;
            return this;
        }

        /** The largest snapshot or delta, in bytes (1 to 16 MiB); 1 MiB by default. Checked before anything is sent. */
        public Builder maxPayloadBytes(int maxPayloadBytes) {
            if (maxPayloadBytes < 1 || maxPayloadBytes > MAX_PAYLOAD_BYTES) {
                throw new IllegalArgumentException("maxPayloadBytes must be between 1 and " + MAX_PAYLOAD_BYTES
                        + ", got " + maxPayloadBytes);
            }
            this.maxPayloadBytes = maxPayloadBytes;
            return this;
        }

        /**
         * Deltas a topic may have after its last snapshot before {@code publishDelta} is refused; by default
         * {@link HbtpTopics#DEFAULT_MAX_DELTAS_PER_SNAPSHOT}. At most what the {@link HbtpTopics} keep (their
         * constructor's argument), or they refuse what the bridge accepted.
         */
        public Builder maxDeltasPerSnapshot(int maxDeltasPerSnapshot) {
            if (maxDeltasPerSnapshot < 1) {
                throw new IllegalArgumentException("maxDeltasPerSnapshot must be at least 1, got " + maxDeltasPerSnapshot);
            }
            this.maxDeltasPerSnapshot = maxDeltasPerSnapshot;
            return this;
        }

        /** Publishes that may wait for the database at once (1024 by default); one more fails at once. */
        public Builder maxPendingPublishes(int maxPendingPublishes) {
            if (maxPendingPublishes < 1) {
                throw new IllegalArgumentException("maxPendingPublishes must be at least 1, got " + maxPendingPublishes);
            }
            this.maxPendingPublishes = maxPendingPublishes;
            return this;
        }

        /** Size of the pool created when {@link #connectionFactory} is not a pool; 4 by default. */
        public Builder poolSize(int poolSize) {
            connections.poolSize(poolSize);
            return this;
        }

        /** Listener reconnects and failed reads wait from {@code initial}, doubling up to {@code max}; 50 ms to 5 s. */
        public Builder reconnectBackoff(Duration initial, Duration max) {
            connections.reconnectBackoff(initial, max);
            return this;
        }

        /** Longest wait for the listener to connect and LISTEN, or for a health check; 10 s by default. */
        public Builder connectTimeout(Duration timeout) {
            connections.connectTimeout(timeout);
            return this;
        }

        /** How often the listener's connection is checked with {@code SELECT 1} ({@code ZERO}: never); 5 s. */
        public Builder healthCheckInterval(Duration interval) {
            connections.healthCheckInterval(interval);
            return this;
        }

        /** Told of every change applied here, in order (see {@link TopicChangeListener}); none by default. */
        public Builder listener(TopicChangeListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * A bridge, not yet started ({@link PgTopicBridge#start()}).
         *
         * @throws IllegalArgumentException for a missing factory or topics, or a bad table or channel name
         */
        public PgTopicBridge build() {
            return new PgTopicBridge(this);
        }
    }
}
