package dev.dxreactor.dbteleport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Readable;
import io.r2dbc.spi.Statement;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.nio.ByteBuffer;
import java.util.function.Function;

/**
 * The log table of {@link PgTopicBridge}: every statement the bridge runs against it.
 *
 * <pre>
 * topic int, seq bigint, kind smallint (0 snapshot, 1 delta), payload bytea, created_at timestamptz,
 * PRIMARY KEY (topic, seq)
 * </pre>
 *
 * <p>{@code seq} counts each topic's changes from 1 without holes. It is taken as the topic's last seq plus one
 * while the publishing transaction holds the topic's advisory lock, and the lock is held until COMMIT, so a
 * topic's changes commit in seq order, one at a time, and a transaction that rolls back leaves no hole. Both
 * matter to a listener: a missing seq always means a missed notification (never a rolled-back insert), and a
 * row with a lower seq is always committed when a higher one is (never still in flight). A sequence
 * ({@code bigserial}) gives neither: its numbers are taken outside transactions and across topics.
 */
final class TopicLog {

    /** First key of the per-topic advisory lock (the second is the topic); an arbitrary constant of this module. */
    static final int TOPIC_LOCK_CLASS = 0x64785450;
    /** Serialises concurrent {@code CREATE TABLE IF NOT EXISTS} of servers starting together. */
    static final String CREATE_LOCK = "SELECT pg_advisory_xact_lock(7283340562)";

    private final ConnectionFactory pool;
    private final String table;
    private final String channel;

    TopicLog(ConnectionFactory pool, String table, String channel) {
        this.pool = pool;
        this.table = Identifiers.quote(Identifiers.checkOne("table", table));
        this.channel = channel;
    }

    /** Creates the table when it does not exist; idempotent, also from several servers at once. */
    Mono<Void> create() {
        return inTransaction(c -> execute(c, CREATE_LOCK)
                .then(execute(c, "CREATE TABLE IF NOT EXISTS " + table + " ("
                        + "topic int NOT NULL, "
                        + "seq bigint NOT NULL, "
                        + "kind smallint NOT NULL CHECK (kind IN (0, 1)), "
                        + "payload bytea NOT NULL, "
                        + "created_at timestamptz NOT NULL DEFAULT now(), "
                        + "PRIMARY KEY (topic, seq))"))
                .then());
    }

    /**
     * Appends a change and announces it, in one transaction of its own (see {@link #appendIn}).
     *
     * @return the change's seq, once committed
     */
    Mono<Long> append(int topic, TopicChangeKind kind, byte[] payload, int maxDeltasPerSnapshot) {
        return inTransaction(c -> appendIn(c, topic, kind, payload, maxDeltasPerSnapshot));
    }

    /**
     * Takes {@code topic}'s lock in a transaction of its own, runs {@code reader} on the same connection (so it
     * reads what was committed before every change that comes after this snapshot) and appends what it read as
     * the topic's snapshot.
     *
     * @param reader the snapshot's bytes from the connection; checked against {@code maxPayloadBytes}, released
     * @return the snapshot's seq, once committed
     */
    Mono<Long> appendSnapshot(int topic, Function<Connection, ? extends Publisher<ByteBuf>> reader,
                              int maxPayloadBytes, int maxDeltasPerSnapshot) {
        return inTransaction(c -> lock(c, topic)
                .then(Mono.from(reader.apply(c)))
                .switchIfEmpty(Mono.error(() -> new IllegalStateException("topic " + topic
                        + ": the snapshot reader gave nothing")))
                .map(buf -> {
                    try {
                        if (buf.readableBytes() > maxPayloadBytes) {
                            throw new IllegalArgumentException("topic " + topic + ": snapshot of " + buf.readableBytes()
                                    + " bytes is larger than maxPayloadBytes (" + maxPayloadBytes + ")");
                        }
                        return ByteBufUtil.getBytes(buf);
                    } finally {
                        buf.release();
                    }
                })
                .flatMap(bytes -> appendIn(c, topic, TopicChangeKind.SNAPSHOT, bytes, maxDeltasPerSnapshot)));
    }

    /**
     * Appends a change and announces it in the transaction open on {@code c}: the topic's lock (held until the
     * transaction ends), its next seq, the checks, the row, {@code pg_notify} (delivered at COMMIT, never on
     * ROLLBACK), and for a snapshot the removal of the rows before it.
     *
     * @return the change's seq, written but not yet committed
     */
    Mono<Long> appendIn(Connection c, int topic, TopicChangeKind kind, byte[] payload, int maxDeltasPerSnapshot) {
        return lock(c, topic)
                .then(single(c.createStatement("SELECT coalesce(max(seq), 0) AS head, "
                                + "coalesce(max(seq) FILTER (WHERE kind = 0), 0) AS snapshot FROM " + table
                                + " WHERE topic = $1").bind(0, topic),
                        row -> new long[]{row.get("head", Long.class), row.get("snapshot", Long.class)}))
                .flatMap(head -> {
                    long seq = head[0] + 1;
                    if (kind == TopicChangeKind.DELTA) {
                        if (head[1] == 0) {
                            return Mono.error(new TopicSnapshotRequiredException(topic, "topic " + topic
                                    + " has no snapshot yet: publish one first"));
                        }
                        if (head[0] - head[1] >= maxDeltasPerSnapshot) {
                            return Mono.error(new TopicSnapshotRequiredException(topic, "topic " + topic + " already has "
                                    + maxDeltasPerSnapshot + " deltas since its last snapshot: publish a snapshot"));
                        }
                    }
                    Mono<Long> written = execute(c, bind(c.createStatement("INSERT INTO " + table
                                    + " (topic, seq, kind, payload) VALUES ($1, $2, $3, $4)"),
                            topic, seq, kind.code(), ByteBuffer.wrap(payload)))
                            .then(execute(c, bind(c.createStatement("SELECT pg_notify($1, $2)"), channel,
                                    TopicNotification.format(topic, seq, kind, payload))));
                    if (kind == TopicChangeKind.SNAPSHOT) {
                        // Nothing before a snapshot is needed any more: a listener behind it starts from it.
                        written = written.then(execute(c, bind(c.createStatement("DELETE FROM " + table
                                + " WHERE topic = $1 AND seq < $2"), topic, seq)));
                    }
                    return written.thenReturn(seq);
                });
    }

    /** The topic's advisory lock, until the transaction ends; taken again by the same transaction, it is a no-op. */
    private static Mono<Long> lock(Connection c, int topic) {
        return execute(c, bind(c.createStatement("SELECT pg_advisory_xact_lock($1, $2)"), TOPIC_LOCK_CLASS, topic));
    }

    /**
     * The changes of {@code topic} a listener that applied up to {@code applied} needs, in seq order: from the
     * topic's latest snapshot when that is after {@code applied}, else from {@code applied + 1}. A payload larger
     * than {@code maxPayloadBytes} is not sent by the server (the row comes with its size only).
     */
    Flux<TopicChange> readAfter(int topic, long applied, int maxPayloadBytes) {
        String sql = "SELECT seq, kind, octet_length(payload) AS size, "
                + "CASE WHEN octet_length(payload) <= $3 THEN payload END AS payload FROM " + table
                + " WHERE topic = $1 AND seq > $2 AND seq >= coalesce((SELECT max(seq) FROM " + table
                + " WHERE topic = $1 AND kind = 0 AND seq > $2), 0) ORDER BY seq";
        return Flux.usingWhen(Mono.from(pool.create()),
                c -> Flux.from(bind(c.createStatement(sql), topic, applied, maxPayloadBytes).execute())
                        .concatMap(result -> result.map(row -> {
                            ByteBuffer bytes = row.get("payload", ByteBuffer.class);
                            byte[] payload = null;
                            if (bytes != null) {
                                payload = new byte[bytes.remaining()];
                                bytes.get(payload);
                            }
                            return new TopicChange(topic, row.get("seq", Long.class),
                                    TopicChangeKind.of(row.get("kind", Short.class)), payload,
                                    row.get("size", Integer.class));
                        })),
                Connection::close);
    }

    /** Each topic in the log with its last seq: {@code {topic, seq}}. */
    Flux<long[]> heads() {
        return Flux.usingWhen(Mono.from(pool.create()),
                c -> Flux.from(c.createStatement("SELECT topic, max(seq) AS head FROM " + table + " GROUP BY topic")
                                .execute())
                        .concatMap(result -> result.map(row -> new long[]{row.get("topic", Integer.class),
                                row.get("head", Long.class)})),
                Connection::close);
    }

    private <T> Mono<T> inTransaction(Function<Connection, Mono<T>> work) {
        return Mono.usingWhen(Mono.from(pool.create()),
                c -> Mono.from(c.beginTransaction())
                        .then(work.apply(c))
                        // Committed inside the closure, so the result is emitted only once COMMIT succeeded.
                        .flatMap(value -> Mono.from(c.commitTransaction()).thenReturn(value))
                        .switchIfEmpty(Mono.defer(() -> Mono.from(c.commitTransaction()).then(Mono.empty()))),
                Connection::close,
                (c, error) -> Mono.from(c.rollbackTransaction()).onErrorComplete().then(Mono.from(c.close())),
                Connection::close);
    }

    private static Statement bind(Statement statement, Object... values) {
        for (int i = 0; i < values.length; i++) {
            statement.bind(i, values[i]);
        }
        return statement;
    }

    private static Mono<Long> execute(Connection c, String sql) {
        return execute(c, c.createStatement(sql));
    }

    private static Mono<Long> execute(Connection c, Statement statement) {
        return Flux.from(statement.execute()).concatMap(result -> result.getRowsUpdated()).reduce(0L, Long::sum);
    }

    private static <T> Mono<T> single(Statement statement, Function<Readable, T> mapper) {
        return Flux.from(statement.execute()).concatMap(result -> result.map(mapper::apply)).single();
    }
}
