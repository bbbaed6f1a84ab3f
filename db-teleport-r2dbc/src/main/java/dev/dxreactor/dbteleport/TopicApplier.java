package dev.dxreactor.dbteleport;

import dev.dxreactor.hbtp.HbtpTopics;
import io.netty.buffer.Unpooled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Applies the changes of the topic log to the local {@link HbtpTopics}, each topic in seq order, whatever order
 * notifications and table reads come in.
 *
 * <p>Per topic it keeps the last seq applied. A notification of the next seq that carries its payload is applied
 * at once; one at or below it is a duplicate and ignored; anything else (a gap after a missed notification, a
 * change too large to travel inline) starts a catch-up: the rows after the last one applied are read from the
 * table, in order (from the latest snapshot when there is a newer one, since the rows before it may be pruned).
 * While a catch-up runs, notifications of the topic are not applied but remembered as "read again": once it ends,
 * another one reads what committed meanwhile. So at most one read per topic is in flight and nothing is queued:
 * the memory held is one row at a time, whatever a publisher or a hostile notifier sends.
 *
 * <p>When {@code LISTEN} is (again) in force, every topic in the table is caught up: notifications sent while
 * nobody listened are lost, but their rows are not.
 */
final class TopicApplier implements NotificationListener.Events {

    private static final Logger LOG = LoggerFactory.getLogger(TopicApplier.class);

    private final HbtpTopics topics;
    private final TopicLog log;
    private final int maxPayloadBytes;
    private final TopicChangeListener listener;
    private final Backoff retry;
    private final ConcurrentHashMap<Integer, TopicState> states = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> firstCatchUp = new CompletableFuture<>();
    private final RateLimitedWarning badNotifications = new RateLimitedWarning();

    final LongAdder appliedInline = new LongAdder();
    final LongAdder appliedFromTable = new LongAdder();
    final LongAdder catchUps = new LongAdder();

    private volatile boolean listening;
    private volatile boolean closed;

    TopicApplier(HbtpTopics topics, TopicLog log, int maxPayloadBytes, TopicChangeListener listener, Backoff retry) {
        this.topics = topics;
        this.log = log;
        this.maxPayloadBytes = maxPayloadBytes;
        this.listener = listener;
        this.retry = retry;
    }

    /** Completes once {@code LISTEN} was first in force and every topic of the table was caught up after it. */
    CompletableFuture<Void> firstCatchUp() {
        return firstCatchUp;
    }

    boolean isListening() {
        return listening;
    }

    /** The last seq applied to {@code topic}; 0 before any. */
    long applied(int topic) {
        TopicState state = states.get(topic);
        return state == null ? 0 : state.applied();
    }

    @Override
    public void notified(String text) {
        TopicNotification notification;
        try {
            notification = TopicNotification.parse(text);
        } catch (IllegalArgumentException e) {
            badNotifications.warn(LOG, e.getMessage());
            return;
        }
        state(notification.topic()).onNotification(notification);
    }

    @Override
    public void listening() {
        listening = true;
        catchUpAll().whenComplete((ignored, error) -> firstCatchUp.complete(null));
    }

    @Override
    public void lost(Throwable cause) {
        listening = false;
    }

    /** Stops applying; a read in flight is dropped when it returns. */
    void close() {
        closed = true;
        firstCatchUp.completeExceptionally(new IllegalStateException("closed before LISTEN was in force"));
    }

    /** Catches up every topic the table holds changes of beyond what was applied; retried until it worked. */
    private CompletableFuture<Void> catchUpAll() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        log.heads().collectList().subscribe(heads -> {
            retry.reset();
            List<CompletableFuture<Void>> rounds = new ArrayList<>();
            for (long[] head : heads) {
                TopicState state = state((int) head[0]);
                if (head[1] > state.applied()) {
                    rounds.add(state.catchUp());
                }
            }
            CompletableFuture.allOf(rounds.toArray(CompletableFuture[]::new))
                    .whenComplete((ignored, error) -> done.complete(null));
        }, error -> {
            if (closed) {
                done.complete(null);
                return;
            }
            LOG.warn("reading the topic log's heads failed ({}); trying again", error.toString());
            Mono.delay(retry.next()).subscribe(tick -> catchUpAll().whenComplete((i, e) -> done.complete(null)));
        });
        return done;
    }

    private TopicState state(int topic) {
        return states.computeIfAbsent(topic, TopicState::new);
    }

    /** One topic's position in the log; every change of it happens under its monitor. */
    private final class TopicState {
        private final int topic;
        private long applied;
        private boolean catchingUp;
        private boolean readAgain;
        /** The row stream of this round met a row it cannot apply; the rest of the round is ignored. */
        private boolean broken;
        private CompletableFuture<Void> round = CompletableFuture.completedFuture(null);

        TopicState(int topic) {
            this.topic = topic;
        }

        synchronized long applied() {
            return applied;
        }

        synchronized void onNotification(TopicNotification n) {
            if (closed || n.seq() <= applied) {
                return;
            }
            if (catchingUp) {
                readAgain = true;
            } else if (n.inline() && (n.seq() == applied + 1 || n.kind() == TopicChangeKind.SNAPSHOT)) {
                // A snapshot replaces the state: what came before it is not needed.
                apply(n.seq(), n.kind(), n.payload());
                appliedInline.increment();
            } else {
                catchUp();
            }
        }

        /** Starts a catch-up, or asks the one running to read again once done; completes when none is needed. */
        synchronized CompletableFuture<Void> catchUp() {
            if (catchingUp) {
                readAgain = true;
                return round;
            }
            if (round.isDone()) {
                round = new CompletableFuture<>();
            }
            startRound();
            return round;
        }

        private void startRound() {
            catchingUp = true;
            readAgain = false;
            broken = false;
            catchUps.increment();
            log.readAfter(topic, applied, maxPayloadBytes)
                    .subscribe(this::onRow, this::onRoundFailed, this::onRoundDone);
        }

        private synchronized void onRow(TopicChange row) {
            if (closed || broken || row.seq() <= applied) {
                return;
            }
            if (row.payload() == null) {
                broken = true;
                LOG.error("topic {} seq {}: payload of {} bytes is larger than maxPayloadBytes ({}); the topic stays at"
                        + " seq {} until its next snapshot", topic, row.seq(), row.size(), maxPayloadBytes, applied);
            } else if (row.kind() == TopicChangeKind.SNAPSHOT || row.seq() == applied + 1) {
                apply(row.seq(), row.kind(), row.payload());
                appliedFromTable.increment();
            } else {
                // The query starts at the latest snapshot or right after `applied`, and snapshots prune only the
                // rows before them in their own transaction: a hole means rows were removed by hand.
                broken = true;
                LOG.error("topic {}: the log has no seq {} (next is {}); the topic stays at seq {} until its next"
                        + " snapshot", topic, applied + 1, row.seq(), applied);
            }
        }

        private synchronized void onRoundDone() {
            catchingUp = false;
            retry.reset();
            if (readAgain && !closed) {
                startRound();
            } else {
                round.complete(null);
            }
        }

        private synchronized void onRoundFailed(Throwable error) {
            catchingUp = false;
            if (closed) {
                round.complete(null);
                return;
            }
            LOG.warn("reading topic {} from the log failed ({}); trying again", topic, error.toString());
            Mono.delay(retry.next()).subscribe(tick -> {
                synchronized (this) {
                    if (!catchingUp && !closed) {
                        startRound();
                    } else if (closed) {
                        round.complete(null);
                    }
                }
            });
        }

        /** Hands a change to the topics (which own the buffer from then on) and tells the listener. */
        private void apply(long seq, TopicChangeKind kind, byte[] payload) {
            long version;
            try {
                version = kind == TopicChangeKind.SNAPSHOT
                        ? topics.publish(topic, Unpooled.wrappedBuffer(payload))
                        : topics.publishDelta(topic, Unpooled.wrappedBuffer(payload));
            } catch (RuntimeException e) {
                // E.g. HbtpTopics keeps fewer deltas per snapshot than the bridge allows: a configuration error.
                LOG.error("topic {} seq {}: the local topics refused the {} ({}); the topic stays at seq {} until its"
                        + " next snapshot", topic, seq, kind, e.getMessage(), applied);
                return;
            }
            applied = seq;
            if (listener != null) {
                try {
                    listener.applied(topic, seq, kind, version, Unpooled.wrappedBuffer(payload).asReadOnly());
                } catch (RuntimeException e) {
                    LOG.warn("topic change listener failed for topic {} seq {}", topic, seq, e);
                }
            }
        }
    }

    /** Logs at most one warning per 10 s, with the count of those left out: anyone may NOTIFY on the channel. */
    private static final class RateLimitedWarning {
        private static final long PERIOD_NANOS = 10_000_000_000L;
        private long lastNanos = System.nanoTime() - PERIOD_NANOS;
        private long skipped;

        synchronized void warn(Logger log, String message) {
            long now = System.nanoTime();
            if (now - lastNanos < PERIOD_NANOS) {
                skipped++;
                return;
            }
            log.warn("ignored a notification on the topic channel: {}{}", message,
                    skipped == 0 ? "" : " (" + skipped + " more ignored since the last warning)");
            lastNanos = now;
            skipped = 0;
        }
    }
}
