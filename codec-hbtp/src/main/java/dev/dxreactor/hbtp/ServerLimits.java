package dev.dxreactor.hbtp;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What all connections served with one {@link HbtpServerConfig} share: the blocking handlers that may run at
 * once and the queue behind them, and the number of open connections. Thread-safe; one per config.
 */
final class ServerLimits {

    private final Executor offload;
    private final int maxBlockingCalls;
    private final int maxQueuedBlockingCalls;
    private final int maxConnections;
    private final AtomicInteger connections = new AtomicInteger();
    private final ArrayDeque<BlockingCall> queued = new ArrayDeque<>();
    /** Guarded by {@code queued}. */
    private int running;

    ServerLimits(Executor offload, int maxBlockingCalls, int maxQueuedBlockingCalls, int maxConnections) {
        this.offload = offload;
        this.maxBlockingCalls = maxBlockingCalls;
        this.maxQueuedBlockingCalls = maxQueuedBlockingCalls;
        this.maxConnections = maxConnections;
    }

    int maxBlockingCalls() {
        return maxBlockingCalls;
    }

    int maxQueuedBlockingCalls() {
        return maxQueuedBlockingCalls;
    }

    /** Takes a connection slot; {@code false} when the server is full (nothing was taken then). */
    boolean tryOpenConnection() {
        if (connections.incrementAndGet() > maxConnections) {
            connections.decrementAndGet();
            return false;
        }
        return true;
    }

    void connectionClosed() {
        connections.decrementAndGet();
    }

    int connections() {
        return connections.get();
    }

    /** A blocking call waiting for a handler: it either runs, or is refused when the executor shuts down. */
    interface BlockingCall extends Runnable {
        void refuse();
    }

    /**
     * Runs {@code call} on the offload executor now, or once a running blocking handler finishes.
     *
     * @return {@code false} when the queue is full; the call is not run then
     * @throws RejectedExecutionException when the executor refuses work (it is shutting down)
     */
    boolean submitBlocking(BlockingCall call) {
        synchronized (queued) {
            if (running >= maxBlockingCalls) {
                if (queued.size() >= maxQueuedBlockingCalls) {
                    return false;
                }
                queued.add(call);
                return true;
            }
            running++;
        }
        try {
            start(call);
        } catch (RejectedExecutionException e) {
            synchronized (queued) {
                running--;
            }
            throw e;
        }
        return true;
    }

    /** Blocking handlers running now. */
    int runningBlockingCalls() {
        synchronized (queued) {
            return running;
        }
    }

    /** Blocking calls waiting for a handler now. */
    int queuedBlockingCalls() {
        synchronized (queued) {
            return queued.size();
        }
    }

    private void start(BlockingCall call) {
        offload.execute(() -> {
            try {
                call.run();
            } finally {
                finished();
            }
        });
    }

    /** A handler returned: its slot goes to the oldest waiting call, if any. */
    private void finished() {
        while (true) {
            BlockingCall next;
            synchronized (queued) {
                next = queued.poll();
                if (next == null) {
                    running--;
                    return;
                }
            }
            try {
                start(next);
                return;
            } catch (RejectedExecutionException e) {
                next.refuse();
            }
        }
    }
}
