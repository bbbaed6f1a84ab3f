package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The calls of one server connection: dispatch to INLINE, ASYNC and BLOCKING routes, answers, CANCEL and
 * deadlines, and the limits on what the calls hold. Event loop only.
 *
 * <p>A call holds one in-flight slot and its request bytes from the moment it is read until its handler has
 * really returned, even when it was answered CANCELLED or DEADLINE_EXCEEDED before: the slot, not the answer,
 * bounds the handlers a peer can make the server run. Its sequence is free again once it is answered.
 */
final class CallDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(CallDispatcher.class);
    /** Longer deadlines are taken as this: far beyond any call, and safe to add to {@link System#nanoTime()}. */
    static final long MAX_DEADLINE_MS = TimeUnit.DAYS.toMillis(36_500);

    private final HbtpServerConfig config;
    private final HbtpServerHandler connection;
    private final ChannelHandlerContext ctx;
    private final HbtpServerSession session;
    private final ResponseBuffer responses;
    private final int peerMessageLimit;
    /** {@code null} without metrics. */
    private final ServerMetrics metrics;
    /** {@code null} without a slow-call threshold. */
    private final SlowCallLog slowCalls;
    /** Whether calls are timed: the clock is read per call only when metrics or the slow-call log need it. */
    private final boolean timed;
    /** The connection's id for the MDC, or {@code null} when the config does not set the MDC. */
    private final String mdcConnection;

    /** This connection's blocking calls waiting for a handler of the server-wide bound. */
    private final ServerLimits.Waiting blockingWaiting;
    /** Calls awaiting their answer, by sequence. */
    private final IntObjectMap<HbtpCall> awaitingAnswer = new IntObjectHashMap<>();
    /** Calls whose handler runs on: answered ones included (cancelled, timed out) and fire-and-forget ones. */
    private int running;
    /** Request bytes the running calls hold. */
    private long bytesHeld;

    CallDispatcher(HbtpServerConfig config, HbtpServerHandler connection, ChannelHandlerContext ctx,
                   HbtpServerSession session, ResponseBuffer responses, int peerMessageLimit) {
        this.config = config;
        this.connection = connection;
        this.ctx = ctx;
        this.session = session;
        this.responses = responses;
        this.peerMessageLimit = peerMessageLimit;
        this.blockingWaiting = config.limits().newWaiting();
        this.metrics = config.metrics();
        this.slowCalls = config.slowCalls();
        this.timed = metrics != null || slowCalls != null;
        this.mdcConnection = config.mdc() ? ctx.channel().id().asShortText() : null;
    }

    /** Whether the calls running use every slot or the bytes this connection may hold: stop reading. */
    boolean full() {
        return running >= config.maxInFlight() || bytesHeld >= config.maxInFlightBytes();
    }

    boolean idle() {
        return running == 0;
    }

    int running() {
        return running;
    }

    long bytesHeld() {
        return bytesHeld;
    }

    void onCall(HbtpFrame frame) {
        long start = timed ? System.nanoTime() : 0;
        ByteBuf body = frame.payload();
        HbtpMetadata metadata = frame.hasFlag(HbtpFlags.METADATA)
                ? HbtpMetadata.read(body, config.maxMetadataSize()) : HbtpMetadata.empty();
        if (body.readableBytes() < 2) {
            throw HbtpServerHandler.protocolError("RPC_CALL without a route");
        }
        int routeId = body.readUnsignedShortLE();
        int sequence = frame.sequence();
        boolean expectsResponse = frame.hasFlag(HbtpFlags.EXPECTS_RESPONSE);
        if (expectsResponse && awaitingAnswer.containsKey(sequence)) {
            throw HbtpServerHandler.protocolError("sequence " + sequence + " reused while its call is in flight");
        }

        HbtpRouter.Route route = config.router().find(routeId);
        if (route == null) {
            refuse(expectsResponse, sequence, CallTimers.UNKNOWN_ROUTE, start, HbtpStatus.UNKNOWN_ROUTE,
                    "no route " + routeId);
            return;
        }
        if (connection.goingAway()) {
            refuse(expectsResponse, sequence, routeId, start, HbtpStatus.UNAVAILABLE, "server is shutting down");
            return;
        }
        long deadline = 0;
        String deadlineText = metadata.get(HbtpMetadata.DEADLINE_MS);
        if (deadlineText != null) {
            long millis = parseDeadline(deadlineText);
            if (millis < 0) {
                refuse(expectsResponse, sequence, routeId, start, HbtpStatus.BAD_REQUEST,
                        "deadline-ms must be a positive number of milliseconds");
                return;
            }
            // nanoTime values wrap by design; a deadline of exactly 0 would read as none.
            deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            deadline = deadline == 0 ? 1 : deadline;
        }

        // The frame's own buffer, past the route, retained for the call: the frame is released when this
        // returns, the call's reference when the call ends. No slice of a slice per call.
        HbtpCall call = new HbtpCall(session, routeId, sequence, expectsResponse, metadata, body.retain(), deadline);
        call.startNanos = start;
        running++;
        if (metrics != null) {
            metrics.callStarted();
        }
        bytesHeld += call.heldBytes();
        if (expectsResponse) {
            awaitingAnswer.put(sequence, call);
            if (deadline != 0) {
                call.deadlineTimer(ctx.executor().schedule(() -> onDeadline(call),
                        deadline - System.nanoTime(), TimeUnit.NANOSECONDS));
            }
        }
        connection.pauseReadingIfLimited();
        dispatch(route, call);
    }

    private void refuse(boolean expectsResponse, int sequence, int route, long start, int status, String message) {
        if (expectsResponse) {
            responses.writeRpcError(sequence, status, message);
            connection.flushUnlessInBurst();
        }
        if (metrics != null) {
            metrics.recordCall(route, status, System.nanoTime() - start);
        }
    }

    /** The milliseconds of a {@code deadline-ms} value, at most {@link #MAX_DEADLINE_MS}; -1 when invalid. */
    static long parseDeadline(String text) {
        try {
            long millis = Long.parseLong(text.trim());
            return millis > 0 ? Math.min(millis, MAX_DEADLINE_MS) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void dispatch(HbtpRouter.Route route, HbtpCall call) {
        switch (route.kind()) {
            case INLINE -> {
                ByteBuf result;
                try {
                    result = mdcConnection == null ? route.handler().handle(call) : handleInMdc(route, call);
                } catch (Throwable t) {
                    complete(call, null, t);
                    return;
                }
                complete(call, result, null);
            }
            case ASYNC -> {
                CompletionStage<ByteBuf> stage;
                try {
                    stage = mdcConnection == null ? route.asyncHandler().handle(call) : handleAsyncInMdc(route, call);
                } catch (Throwable t) {
                    complete(call, null, t);
                    return;
                }
                if (stage == null) {
                    complete(call, null, new NullPointerException("route " + call.route() + " returned no stage"));
                    return;
                }
                if (completeNow(call, stage)) {
                    return;
                }
                // handle, not whenComplete: whenComplete's own stage would wrap a failure in a new
                // CompletionException, stack trace and all, on every failed call.
                stage.handle((result, error) -> {
                    onLoop(() -> complete(call, result, error), call, result);
                    return null;
                });
            }
            case BLOCKING -> runBlocking(route, call);
        }
    }

    /**
     * Hands the call to the server-wide bound on blocking handlers. A call cancelled while it waits in that
     * queue never reaches its handler.
     */
    private void runBlocking(HbtpRouter.Route route, HbtpCall call) {
        ServerLimits.BlockingCall task = new ServerLimits.BlockingCall() {
            @Override
            public void run() {
                ByteBuf result = null;
                Throwable error = null;
                if (call.isCancelled()) {
                    error = new CancellationException();
                } else {
                    try {
                        result = mdcConnection == null ? route.handler().handle(call) : handleInMdc(route, call);
                    } catch (Throwable t) {
                        error = t;
                    }
                }
                ByteBuf r = result;
                Throwable e = error;
                onLoop(() -> complete(call, r, e), call, r);
            }

            @Override
            public void refuse() {
                onLoop(() -> complete(call, null, shuttingDown()), call, null);
            }
        };
        boolean accepted;
        try {
            accepted = config.limits().submitBlocking(blockingWaiting, task);
        } catch (RejectedExecutionException e) {
            complete(call, null, shuttingDown());
            return;
        }
        if (!accepted) {
            complete(call, null, new HbtpRpcException(HbtpStatus.RESOURCE_EXHAUSTED,
                    "too many blocking calls on this server: " + config.maxBlockingCalls() + " running, "
                            + config.maxQueuedBlockingCalls() + " waiting, and this connection has its share"));
        }
    }

    /** The handler, with the call in the MDC of the thread it runs on; out of a separate method to keep it cold. */
    private ByteBuf handleInMdc(HbtpRouter.Route route, HbtpCall call) throws Exception {
        HbtpMdc.put(mdcConnection, call);
        try {
            return route.handler().handle(call);
        } finally {
            HbtpMdc.remove();
        }
    }

    private CompletionStage<ByteBuf> handleAsyncInMdc(HbtpRouter.Route route, HbtpCall call) throws Exception {
        HbtpMdc.put(mdcConnection, call);
        try {
            return route.asyncHandler().handle(call);
        } finally {
            HbtpMdc.remove();
        }
    }

    private static HbtpRpcException shuttingDown() {
        return new HbtpRpcException(HbtpStatus.UNAVAILABLE, "server is shutting down");
    }

    /**
     * Answers {@code call} at once when {@code stage} is a plain {@link CompletableFuture} that has already
     * succeeded or failed, as a route answering from memory returns: no callback and no dependent stage.
     * Other stages (the JDK's completed stages cannot be asked whether they are done) take the general path.
     */
    private boolean completeNow(HbtpCall call, CompletionStage<ByteBuf> stage) {
        if (stage.getClass() != CompletableFuture.class) {
            return false;
        }
        CompletableFuture<ByteBuf> future = (CompletableFuture<ByteBuf>) stage;
        switch (future.state()) {
            case SUCCESS -> complete(call, future.resultNow(), null);
            case FAILED -> complete(call, null, future.exceptionNow());
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Runs {@code task} on this channel's loop; if the loop is gone, releases what the task would have. */
    private void onLoop(Runnable task, HbtpCall call, ByteBuf result) {
        if (ctx.executor().inEventLoop()) {
            task.run();
            return;
        }
        try {
            ctx.executor().execute(task);
        } catch (RejectedExecutionException e) {
            ReferenceCountUtil.release(result);
            call.payload().release();
            if (metrics != null) {
                metrics.callEnded();
            }
        }
    }

    /**
     * The one place a call ends, when its handler has returned: answers it unless already answered, frees
     * its slot and bytes, and releases its buffers.
     */
    private void complete(HbtpCall call, ByteBuf result, Throwable error) {
        try {
            if (!call.expectsResponse()) {
                Throwable cause = error == null ? null : unwrap(error);
                if (cause != null && !(cause instanceof CancellationException)) {
                    connection.warn("HBTP fire-and-forget call to route {} failed on {}", call.route(),
                            ctx.channel(), cause);
                }
                call.answeredStatus = cause == null ? HbtpStatus.OK : statusOf(cause);
                if (metrics != null) {
                    metrics.recordCall(call.route(), call.answeredStatus, System.nanoTime() - call.startNanos);
                }
                return;
            }
            if (call.answered()) {
                return;
            }
            call.markAnswered();
            awaitingAnswer.remove(call.sequence());
            if (!connection.canWrite()) {
                return;
            }
            call.answeredStatus = error == null ? answer(call, result != null ? result : Unpooled.EMPTY_BUFFER)
                    : writeError(call, unwrap(error));
            if (metrics != null) {
                metrics.recordCall(call.route(), call.answeredStatus, System.nanoTime() - call.startNanos);
            }
        } finally {
            running--;
            bytesHeld -= call.heldBytes();
            if (timed) {
                handlerReturned(call);
            }
            ReferenceCountUtil.release(result);
            call.payload().release();
            connection.afterCallEnded();
        }
    }

    /** The in-flight gauge and the slow-call log, once a call's handler has really returned. */
    private void handlerReturned(HbtpCall call) {
        if (metrics != null) {
            metrics.callEnded();
        }
        if (slowCalls != null) {
            slowCalls.check(call.route(), call.answeredStatus, System.nanoTime() - call.startNanos);
        }
    }

    /** The call's answer: {@link HbtpStatus#OK}, or what was sent instead of a body the client cannot take. */
    private int answer(HbtpCall call, ByteBuf body) {
        HbtpMetadata metadata = call.responseMetadata();
        long size = (metadata.isEmpty() ? 0 : metadata.encodedSize()) + (long) body.readableBytes();
        if (size > peerMessageLimit) {
            connection.warn("HBTP route {} answered {} bytes with its metadata; the client accepts at most {}",
                    call.route(), size, peerMessageLimit);
            responses.writeRpcError(call.sequence(), HbtpStatus.INTERNAL,
                    "response exceeds the client's maximum message length");
            return HbtpStatus.INTERNAL;
        }
        responses.writeRpcResponse(call.sequence(), metadata, body);
        return HbtpStatus.OK;
    }

    /** Answers the call with the status {@code error} stands for, and returns that status. */
    private int writeError(HbtpCall call, Throwable error) {
        HbtpMetadata metadata = call.responseMetadata();
        int status = statusOf(error);
        if (error instanceof HbtpRpcException rpc) {
            responses.writeRpcError(call.sequence(), metadata, status, rpc.getMessage());
        } else if (error instanceof CancellationException) {
            responses.writeRpcError(call.sequence(), metadata, status, "cancelled");
        } else {
            connection.warn("HBTP route {} failed on {}", call.route(), ctx.channel(), error);
            responses.writeRpcError(call.sequence(), metadata, status, "internal error");
        }
        return status;
    }

    private static int statusOf(Throwable error) {
        if (error instanceof HbtpRpcException rpc) {
            return rpc.status();
        }
        return error instanceof CancellationException ? HbtpStatus.CANCELLED : HbtpStatus.INTERNAL;
    }

    /**
     * The client gave up on a call: answer CANCELLED now; the slot stays taken until the handler returns.
     *
     * @return whether a call awaiting its answer had this sequence
     */
    boolean onCancel(int sequence) {
        HbtpCall call = awaitingAnswer.remove(sequence);
        if (call == null) {
            return false;
        }
        call.markAnswered();
        call.cancel();
        responses.writeRpcError(sequence, HbtpStatus.CANCELLED, "cancelled by the client");
        connection.flushUnlessInBurst();
        answeredEarly(call, HbtpStatus.CANCELLED);
        return true;
    }

    private void onDeadline(HbtpCall call) {
        if (call.answered() || !ctx.channel().isActive()) {
            return;
        }
        awaitingAnswer.remove(call.sequence());
        call.markAnswered();
        call.cancel();
        if (connection.canWrite()) {
            responses.writeRpcError(call.sequence(), HbtpStatus.DEADLINE_EXCEEDED, "deadline exceeded");
            connection.flushUnlessInBurst();
            answeredEarly(call, HbtpStatus.DEADLINE_EXCEEDED);
        }
    }

    /** A call answered before its handler returned (CANCEL, deadline): timed now, as the client saw it. */
    private void answeredEarly(HbtpCall call, int status) {
        call.answeredStatus = status;
        if (metrics != null) {
            metrics.recordCall(call.route(), status, System.nanoTime() - call.startNanos);
        }
    }

    /** The connection is gone: every handler still running is told, and nothing more is answered. */
    void cancelAll() {
        for (HbtpCall call : new ArrayList<>(awaitingAnswer.values())) {
            call.markAnswered();
            call.cancel();
        }
        awaitingAnswer.clear();
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
