package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * The answer to one call: completes with the response body (the caller releases it), or exceptionally
 * with {@link HbtpRpcException} (RPC_ERROR), {@link java.util.concurrent.TimeoutException} (the call
 * timeout passed) or {@link HbtpException} (the connection closed, too many calls in flight).
 *
 * <p>{@link #cancel(boolean)} also sends CANCEL, so the server stops working on it.
 */
public class HbtpCallFuture extends CompletableFuture<ByteBuf> {

    private final HbtpClientHandler handler;
    private final int route;
    /**
     * The call's sequence once it is in flight, -1 before; read and written on the event loop only (a cancel from
     * another thread goes there first), so a call costs no memory fence here.
     */
    int sequence = -1;
    /** When the call times out (on the event loop's ticker), and after how long; set on the event loop. */
    long deadline;
    long timeoutNanos;
    /** Written on the event loop before the future completes, so whoever sees it complete sees this too. */
    private HbtpMetadata responseMetadata = HbtpMetadata.empty();

    HbtpCallFuture(HbtpClientHandler handler, int route) {
        this.handler = handler;
        this.route = route;
    }

    public int route() {
        return route;
    }

    /**
     * The metadata block the server sent with its answer (RPC_RESPONSE or RPC_ERROR), for example
     * {@code response-time-us} or {@code version}; empty when it had none. Read it once this future has
     * completed (after {@code join()}, in a completion stage): only then is the answer's block sure to be seen.
     */
    public HbtpMetadata responseMetadata() {
        return responseMetadata;
    }

    void responseMetadata(HbtpMetadata metadata) {
        this.responseMetadata = metadata;
    }

    /**
     * Cancels the call unless it has ended, and has CANCEL sent if it is still waiting for its answer. Safe
     * from any thread, also after the client's event loop has stopped; returns {@code true} when the call
     * ends cancelled, whoever cancelled it.
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        // What cancel(boolean) does, less that it returns true to every caller once cancelled: only the
        // caller that ended the call tells the handler, so concurrent cancels make one CANCEL.
        if (completeExceptionally(new CancellationException())) {
            handler.cancel(this);
            return true;
        }
        return isCancelled();
    }

    /**
     * The call as a {@link HbtpResponseHandler} sees it: the answer or the failure goes to the handler, not to
     * waiters of this future, which nobody outside the client holds. Completing this future still decides once
     * which of them happens, from whatever thread.
     */
    static final class ToHandler extends HbtpCallFuture {
        private final HbtpResponseHandler handler;

        ToHandler(HbtpClientHandler connection, int route, HbtpResponseHandler handler) {
            super(connection, route);
            this.handler = handler;
        }

        @Override
        boolean deliver(ByteBuf body) {
            if (!super.complete(null)) {
                body.release();
                return false;
            }
            handler.onResponse(body);
            return true;
        }

        @Override
        public boolean completeExceptionally(Throwable error) {
            if (!super.completeExceptionally(error)) {
                return false;
            }
            handler.onFailure(error);
            return true;
        }
    }

    /** Completes unless already done; a body that arrives too late is released. */
    boolean deliver(ByteBuf body) {
        if (!complete(body)) {
            body.release();
            return false;
        }
        return true;
    }
}
