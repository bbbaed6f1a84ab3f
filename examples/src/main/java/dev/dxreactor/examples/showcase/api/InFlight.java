package dev.dxreactor.examples.showcase.api;

import dev.dxreactor.cim.CimException;
import dev.dxreactor.cim.CimStatus;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Counts the calls the applications are working on, for a graceful stop: once {@link #drain()} is called, new
 * calls are refused as UNAVAILABLE (503) and {@link #awaitIdle} waits for the ones already running to answer.
 */
public final class InFlight {

    private int running;
    /** The calls running, by what they do, for the log line of a shutdown that had to cut them off. */
    private final Map<String, Integer> runningByKind = new TreeMap<>();
    private boolean draining;
    private CompletableFuture<Void> idle;

    /**
     * Runs {@code call} counted until its stage completes, or refuses it while draining.
     *
     * @param kind what the call does ({@code "HBTP price"}, {@code "POST /api/items/{id}/price"}), for the log
     */
    public <T> CompletionStage<T> track(String kind, Supplier<? extends CompletionStage<T>> call) {
        synchronized (this) {
            if (draining) {
                throw new CimException(CimStatus.UNAVAILABLE, "the server is shutting down");
            }
            running++;
            runningByKind.merge(kind, 1, Integer::sum);
        }
        CompletionStage<T> stage;
        try {
            stage = call.get();
        } catch (RuntimeException e) {
            done(kind);
            throw e;
        }
        // A plain CompletableFuture: the chain handlers test whether an answer is already there with isDone(),
        // which a minimal stage (what db-teleport hands out) refuses with UnsupportedOperationException.
        CompletableFuture<T> answer = new CompletableFuture<>();
        stage.whenComplete((value, error) -> {
            // Completed first, so that whatever writes the answer (the chain, then the server) has run or queued its
            // task on the connection's event loop before a waiting stop() goes on.
            if (error != null) {
                answer.completeExceptionally(error);
            } else {
                answer.complete(value);
            }
            done(kind);
        });
        return answer;
    }

    private void done(String kind) {
        CompletableFuture<Void> toComplete = null;
        synchronized (this) {
            running--;
            runningByKind.computeIfPresent(kind, (k, n) -> n == 1 ? null : n - 1);
            if (running == 0 && idle != null) {
                toComplete = idle;
            }
        }
        if (toComplete != null) {
            toComplete.complete(null);
        }
    }

    /** Calls being worked on now. */
    public synchronized int running() {
        return running;
    }

    /** The calls running now, counted by kind: {@code {HBTP price=2}}. */
    public synchronized Map<String, Integer> runningByKind() {
        return Map.copyOf(runningByKind);
    }

    /** Whether new calls are refused. */
    public synchronized boolean isDraining() {
        return draining;
    }

    /** Refuses new calls from now on. */
    public void drain() {
        synchronized (this) {
            draining = true;
            if (idle == null) {
                idle = new CompletableFuture<>();
            }
            if (running > 0) {
                return;
            }
        }
        idle.complete(null);
    }

    /**
     * Waits until no call is running (after {@link #drain()}).
     *
     * @return whether they all finished within {@code timeout}
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        CompletableFuture<Void> waiting;
        synchronized (this) {
            if (idle == null) {
                throw new IllegalStateException("drain() first");
            }
            waiting = idle;
        }
        try {
            waiting.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }
}
