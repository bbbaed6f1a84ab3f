package dev.dxreactor.dbteleport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Applies what the listener reports to the cache, and decides whether the cache may be used at all.
 *
 * <ul>
 *   <li>A notification bumps its table's generation at once, on the driver's thread: from then on no entry
 *       that depends on the table is served and no load that overlapped the change is stored. Removing the
 *       entries (a pass over the cache) happens on the executor.</li>
 *   <li>When the listener is lost, reads bypass the cache at once and everything is invalidated:
 *       notifications sent while nobody listens are lost for good.</li>
 *   <li>When {@code LISTEN} is in force again, everything is invalidated once more (anything read before
 *       that moment may be stale) and only then is the cache used again.</li>
 * </ul>
 *
 * <p>The state moves WAITING &rarr; SERVING &rarr; WAITING ... and, on {@link #stop()}, to STOPPED for good:
 * a {@code LISTEN} that completes after the cache was closed changes nothing. A loss reported while already
 * waiting (a reconnect attempt that failed) changes nothing either: everything was invalidated when serving
 * stopped, and leaving the snapshots alone lets reads made during the outage share their queries.
 */
final class Invalidator implements NotificationListener.Events {

    private static final Logger LOG = LoggerFactory.getLogger(Invalidator.class);

    private final Generations generations;
    private final EntryCache cache;
    private final Metrics metrics;
    private final Executor executor;
    private final InvalidationListener listener;
    private final CompletableFuture<Void> firstListen = new CompletableFuture<>();

    private enum State { WAITING, SERVING, STOPPED }

    /** Written only under the monitor; read without it on the hit path. */
    private volatile State state = State.WAITING;
    private boolean everListened;

    Invalidator(Generations generations, EntryCache cache, Metrics metrics, Executor executor,
                InvalidationListener listener) {
        this.generations = generations;
        this.cache = cache;
        this.metrics = metrics;
        this.executor = executor;
        this.listener = listener;
    }

    /** Whether entries may be served and stored: only while {@code LISTEN} is in force. */
    boolean serving() {
        return state == State.SERVING;
    }

    /** Completes the first time {@code LISTEN} is in force. */
    CompletableFuture<Void> firstListen() {
        return firstListen;
    }

    @Override
    public void notified(String payload) {
        int space = payload.indexOf(' ');
        if (space >= 0) {
            recordLatency(payload, space);
            return;
        }
        String table = payload;
        if (!generations.bump(table)) {
            return;
        }
        metrics.invalidations.increment();
        executor.execute(() -> metrics.invalidatedEvictions.increment(cache.removeDependingOn(table)));
        if (listener != null) {
            try {
                listener.invalidated(table);
            } catch (RuntimeException e) {
                LOG.warn("invalidation listener failed for table {}", table, e);
            }
        }
    }

    /**
     * {@code "<table> <micros>"}: the change's transaction began at {@code micros}; the plain notification of the
     * same change (sent first) has already invalidated. A payload that does not parse is ignored, like an unknown
     * table.
     */
    private void recordLatency(String payload, int space) {
        if (!generations.tracks(payload.substring(0, space))) {
            return;
        }
        try {
            long began = Long.parseLong(payload, space + 1, payload.length(), 10);
            long nowMicros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
            // Clocks of the database and this machine may differ a little: never a negative time.
            metrics.invalidationLatency.record(Math.max(0, nowMicros - began), TimeUnit.MICROSECONDS);
        } catch (NumberFormatException ignored) {
            // not a payload of this version's trigger
        }
    }

    @Override
    public synchronized void listening() {
        if (state == State.STOPPED) {
            return;
        }
        generations.bumpAll();
        metrics.invalidations.increment();
        metrics.invalidatedEvictions.increment(cache.clear());
        state = State.SERVING;
        if (everListened) {
            metrics.reconnects.increment();
            LOG.info("LISTEN is in force again; serving from the cache");
        }
        everListened = true;
        firstListen.complete(null);
        tellAll();
    }

    @Override
    public synchronized void lost(Throwable cause) {
        if (state != State.SERVING) {
            return;
        }
        state = State.WAITING;
        generations.bumpAll();
        metrics.invalidations.increment();
        executor.execute(() -> metrics.invalidatedEvictions.increment(cache.clear()));
        tellAll();
    }

    private void tellAll() {
        if (listener != null) {
            try {
                listener.invalidatedAll();
            } catch (RuntimeException e) {
                LOG.warn("invalidation listener failed", e);
            }
        }
    }

    /** Stops serving for good (the cache is closing). */
    synchronized void stop() {
        state = State.STOPPED;
        generations.bumpAll();
        firstListen.completeExceptionally(new IllegalStateException("closed before LISTEN was in force"));
    }
}
