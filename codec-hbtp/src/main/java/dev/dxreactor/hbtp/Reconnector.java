package dev.dxreactor.hbtp;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Makes a client's lost connection again, attempt after attempt as its {@link ReconnectPolicy} spaces them,
 * until one succeeds, the policy's attempts are used up, or the client is closed. Runs on the client's event
 * loop; {@link #stop()} may be called from any thread.
 */
final class Reconnector {

    private static final Logger LOG = LoggerFactory.getLogger(Reconnector.class);

    private final ReconnectPolicy policy;
    private final EventLoop loop;
    private final SocketAddress address;
    private final ClientState state;
    private final Supplier<CompletableFuture<HbtpClientHandler>> connect;
    /** Takes a new connection; {@code false} when the client no longer wants it (closed meanwhile). */
    private final Predicate<HbtpClientHandler> connected;
    private final BooleanSupplier closed;

    /** Attempts since the loss; event loop only. */
    private int attempt;
    private ScheduledFuture<?> next;

    Reconnector(ReconnectPolicy policy, EventLoop loop, SocketAddress address, ClientState state,
                Supplier<CompletableFuture<HbtpClientHandler>> connect, Predicate<HbtpClientHandler> connected,
                BooleanSupplier closed) {
        this.policy = policy;
        this.loop = loop;
        this.address = address;
        this.state = state;
        this.connect = connect;
        this.connected = connected;
        this.closed = closed;
    }

    /** The connection ended without the client closing it: start over from the first attempt. */
    void connectionLost() {
        onLoop(() -> {
            if (closed.getAsBoolean()) {
                return;
            }
            state.reconnecting = true;
            attempt = 0;
            LOG.warn("HBTP connection to {} lost; reconnecting ({})", address, policy);
            scheduleNext();
        });
    }

    /** The client is closed: no attempt is made after this. */
    void stop() {
        onLoop(() -> {
            if (next != null) {
                next.cancel(false);
                next = null;
            }
        });
    }

    private void scheduleNext() {
        attempt++;
        if (!policy.allows(attempt)) {
            state.reconnecting = false;
            LOG.warn("HBTP client gives up reconnecting to {} after {} attempts", address, attempt - 1);
            return;
        }
        next = loop.schedule(this::tryOnce, policy.delayNanos(attempt), TimeUnit.NANOSECONDS);
    }

    private void tryOnce() {
        next = null;
        if (closed.getAsBoolean()) {
            return;
        }
        int thisAttempt = attempt;
        connect.get().whenComplete((handler, error) -> onLoop(() -> {
            if (error == null) {
                if (!connected.test(handler)) {
                    handler.channel().close();
                    return;
                }
                state.reconnecting = false;
                LOG.info("HBTP client reconnected to {} (attempt {})", address, thisAttempt);
            } else if (!closed.getAsBoolean()) {
                LOG.debug("HBTP reconnect attempt {} to {} failed: {}", thisAttempt, address, error.getMessage());
                scheduleNext();
            }
        }));
    }

    private void onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
            return;
        }
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            // The client's loop has stopped, and the client with it.
        }
    }
}
