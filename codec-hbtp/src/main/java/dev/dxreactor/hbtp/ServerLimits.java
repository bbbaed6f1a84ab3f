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
    /** Connections with blocking calls waiting, in the order they get the next free handler. */
    private final ArrayDeque<Waiting> rotation = new ArrayDeque<>();
    /** Guarded by {@code rotation}. */
    private int running;
    /** Guarded by {@code rotation}. */
    private int queued;

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

    /** Connections open now. */
    int connections() {
        return connections.get();
    }

    /** Blocking handlers running now. */
    int runningBlockingCalls() {
        synchronized (rotation) {
            return running;
        }
    }

    /** Blocking calls waiting for a free handler now. */
    int queuedBlockingCalls() {
        synchronized (rotation) {
            return queued;
        }
    }

    /** A blocking call waiting for a handler: it either runs, or is refused when the executor shuts down. */
    interface BlockingCall extends Runnable {
        void refuse();
    }

    /** One connection's blocking calls waiting for a handler, in order. Guarded by the limits' lock. */
    static final class Waiting {
        private final ArrayDeque<BlockingCall> calls = new ArrayDeque<>();
    }

    /** The queue of one connection; {@link #submitBlocking} takes it with every call of that connection. */
    Waiting newWaiting() {
        return new Waiting();
    }

    /**
     * Runs {@code call} on the offload executor now, or once a handler is free. Free handlers go to the
     * connections with waiting calls in turn, so one connection's backlog does not hold back another's call.
     * When {@code maxQueuedBlockingCalls} are waiting, a call is refused only if its connection already has its
     * share of the queue (the bound divided among the connections waiting): a few peers that fill the queue
     * cannot refuse everyone else's calls. Each connection's calls are bounded by its {@code maxInFlight}.
     *
     * @return {@code false} when the call is refused; it is not run then
     * @throws RejectedExecutionException when the executor refuses work (it is shutting down)
     */
    boolean submitBlocking(Waiting waiting, BlockingCall call) {
        synchronized (rotation) {
            if (running >= maxBlockingCalls) {
                int connectionsWaiting = rotation.size() + (waiting.calls.isEmpty() ? 1 : 0);
                int share = maxQueuedBlockingCalls / connectionsWaiting;
                if (queued >= maxQueuedBlockingCalls && waiting.calls.size() >= share) {
                    return false;
                }
                if (waiting.calls.isEmpty()) {
                    rotation.add(waiting);
                }
                waiting.calls.add(call);
                queued++;
                return true;
            }
            running++;
        }
        try {
            start(call);
        } catch (RejectedExecutionException e) {
            synchronized (rotation) {
                running--;
            }
            throw e;
        }
        return true;
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

    /** A handler returned: its slot goes to the next connection in turn that has a call waiting. */
    private void finished() {
        while (true) {
            BlockingCall next;
            synchronized (rotation) {
                Waiting turn = rotation.poll();
                if (turn == null) {
                    running--;
                    return;
                }
                next = turn.calls.poll();
                queued--;
                if (!turn.calls.isEmpty()) {
                    rotation.add(turn);
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
