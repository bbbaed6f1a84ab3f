package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.Objects;


/**
 * One RPC_CALL as a handler sees it.
 *
 * <p>The {@link #payload()} belongs to the server: it stays valid until the handler has returned (or its
 * stage has completed) and is released after that. A handler that keeps it longer retains it.
 */
public final class HbtpCall {

    private final HbtpServerSession session;
    private final int route;
    private final int sequence;
    private final boolean expectsResponse;
    private final HbtpMetadata metadata;
    private final ByteBuf payload;
    /** The request bytes this call counts against its connection's bound, whatever the handler reads. */
    private final int heldBytes;
    private final long deadlineNanos;

    /** Answered, cancelled or timed out: nothing more is written for this call. Event loop only. */
    private boolean answered;
    private volatile boolean cancelled;
    private ScheduledFuture<?> deadlineTimer;
    private volatile HbtpMetadata responseMetadata = HbtpMetadata.empty();
    /** {@link System#nanoTime()} when the call was read, if calls are timed (metrics, slow-call log); else 0. */
    long startNanos;
    /** The status the call was answered with (for metrics and the slow-call log). Event loop only. */
    int answeredStatus = HbtpStatus.OK;

    HbtpCall(HbtpServerSession session, int route, int sequence, boolean expectsResponse, HbtpMetadata metadata,
             ByteBuf payload, long deadlineNanos) {
        this.session = session;
        this.route = route;
        this.sequence = sequence;
        this.expectsResponse = expectsResponse;
        this.metadata = metadata;
        this.payload = payload;
        this.heldBytes = payload.readableBytes();
        this.deadlineNanos = deadlineNanos;
    }

    int heldBytes() {
        return heldBytes;
    }

    public int route() {
        return route;
    }

    public int sequence() {
        return sequence;
    }

    /** False for fire-and-forget calls: whatever the handler returns is dropped. */
    public boolean expectsResponse() {
        return expectsResponse;
    }

    /** The request bytes; see the class comment for how long they live. */
    public ByteBuf payload() {
        return payload;
    }

    /** The metadata block sent with the call; empty when there was none. */
    public HbtpMetadata metadata() {
        return metadata;
    }

    public HbtpServerSession session() {
        return session;
    }

    /** The connection's allocator, for building the response. */
    public ByteBufAllocator alloc() {
        return session.channel().alloc();
    }

    /**
     * Metadata sent with this call's answer, whether RPC_RESPONSE or RPC_ERROR (for example
     * {@code response-time-us}, or the {@code version} of a conditional request). Set it before the handler
     * returns or its stage completes; the last value set wins.
     */
    public void responseMetadata(HbtpMetadata metadata) {
        this.responseMetadata = Objects.requireNonNull(metadata, "metadata");
    }

    /** What {@link #responseMetadata(HbtpMetadata)} set; empty by default. */
    public HbtpMetadata responseMetadata() {
        return responseMetadata;
    }

    /** {@link System#nanoTime()} by which the client wants an answer ({@code deadline-ms}), or 0 for none. */
    public long deadlineNanos() {
        return deadlineNanos;
    }

    /**
     * Whether the client cancelled the call, its deadline passed or the connection closed. Long handlers
     * can check this and stop early; their result would be dropped anyway.
     */
    public boolean isCancelled() {
        return cancelled;
    }

    boolean answered() {
        return answered;
    }

    void markAnswered() {
        answered = true;
        if (deadlineTimer != null) {
            deadlineTimer.cancel(false);
            deadlineTimer = null;
        }
    }

    /**
     * Flags the call; the handler's stage is left to complete, so the server still sees (and releases) a
     * body that arrives late instead of losing it in a cancelled stage.
     */
    void cancel() {
        cancelled = true;
    }

    void deadlineTimer(ScheduledFuture<?> timer) {
        this.deadlineTimer = timer;
    }

    @Override
    public String toString() {
        return "HbtpCall(route " + route + ", seq " + sequence + ", " + payload.readableBytes() + " B)";
    }
}
