package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * The server side of one HBTP connection: handshake, keepalive, close handshake, call dispatch, cancel and
 * deadlines, backpressure, topics and events. Everything runs on the channel's event loop.
 */
final class HbtpServerHandler extends ChannelDuplexHandler {

    private static final Logger LOG = LoggerFactory.getLogger(HbtpServerHandler.class);
    private static final int MAX_PING_PAYLOAD = 64;

    private final HbtpServerConfig config;
    private ChannelHandlerContext ctx;
    private HbtpServerSession session;
    private ResponseBuffer responses;
    private int peerMessageLimit;

    private final IntObjectMap<HbtpCall> inFlight = new IntObjectHashMap<>();
    private int fireAndForgetRunning;
    private boolean readingPaused;
    private boolean inReadBurst;
    /**
     * Frames that arrived while the connection was at its in-flight limit, in order. Reading is off by then,
     * so this holds at most what one read had already taken from the socket.
     */
    private final ArrayDeque<HbtpFrame> parked = new ArrayDeque<>();
    private boolean draining;

    private final Set<Integer> subscribedTopics = new HashSet<>();
    private final Set<Integer> skippedTopics = new HashSet<>();

    private ScheduledFuture<?> helloTimer;
    private ScheduledFuture<?> pongTimer;
    private ScheduledFuture<?> closeTimer;
    private int nextPingSequence;
    /** The peer sent CLOSE: answer it once in-flight calls are done. */
    private boolean peerClosing;
    /** We sent CLOSE: nothing more is written. */
    private boolean closeSent;

    HbtpServerHandler(HbtpServerConfig config) {
        this.config = config;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        helloTimer = ctx.executor().schedule(() -> closeWith(HbtpCloseCode.PROTOCOL_ERROR,
                        "no HELLO within " + config.helloTimeout().toMillis() + " ms"),
                config.helloTimeout().toNanos(), TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HbtpFrame frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        inReadBurst = true;
        boolean keepalive = frame.opcode() == HbtpOpcode.PING || frame.opcode() == HbtpOpcode.PONG;
        if ((readingPaused || !parked.isEmpty()) && !keepalive) {
            // Keepalive frames do not wait behind calls: a busy server must still look alive.
            parked.add(frame);
            return;
        }
        handle(frame);
    }

    private void handle(HbtpFrame frame) {
        try {
            if (closeSent) {
                if (frame.opcode() == HbtpOpcode.CLOSE) {
                    // The answer to our CLOSE: the handshake is done.
                    ctx.close();
                }
            } else if (!peerClosing) {
                if (frame.hasFlag(HbtpFlags.COMPRESSED)) {
                    HbtpFrame plain = HbtpCompression.inflate(ctx.alloc(), frame,
                            session == null ? 0 : session.capabilities(), config.maxMessageLength(),
                            config.zstdDictionary());
                    try {
                        onFrame(plain);
                    } finally {
                        plain.release();
                    }
                } else {
                    onFrame(frame);
                }
            }
        } catch (HbtpProtocolException e) {
            closeWith(e.closeCode(), e.reason());
        } finally {
            frame.release();
        }
    }

    /**
     * Handles parked frames in order until the limit is reached again. A call that completes inline while
     * draining comes back here; the flag keeps that from recursing once per parked frame.
     */
    private void drainParked() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            while (!readingPaused && !parked.isEmpty()) {
                handle(parked.poll());
            }
        } finally {
            draining = false;
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        inReadBurst = false;
        flushResponses();
        ctx.fireChannelReadComplete();
    }

    private void onFrame(HbtpFrame frame) {
        HbtpOpcode opcode = frame.opcode();
        if (session == null) {
            if (opcode != HbtpOpcode.HELLO) {
                throw protocolError(opcode + " before HELLO");
            }
            onHello(frame);
            return;
        }
        switch (opcode) {
            case PING -> onPing(frame);
            case PONG -> cancelPongTimer();
            case CLOSE -> onPeerClose(frame);
            case RPC_CALL -> onCall(frame);
            case CANCEL -> onCancel(frame.sequence());
            case SUBSCRIBE -> onSubscribe(frame.payload());
            case UNSUBSCRIBE -> onUnsubscribe(frame.payload());
            case CLIENT_EVENT -> onClientEvent(frame.payload());
            case HELLO -> throw protocolError("second HELLO");
            default -> throw protocolError(opcode + " is not sent by clients");
        }
    }

    private void onHello(HbtpFrame frame) {
        HbtpHello peer = HbtpHello.read(frame.payload());
        cancel(helloTimer);
        int agreed = peer.capabilities() & config.capabilities();
        boolean encrypted = (agreed & HbtpCapabilities.ENCRYPTION) != 0;
        if (!encrypted && config.encryption() == HbtpEncryptionMode.REQUIRED) {
            throw new HbtpProtocolException(HbtpCloseCode.POLICY,
                    "this server requires encryption: offer the ENCRYPTION capability");
        }
        HbtpKeyExchange exchange = encrypted ? HbtpKeyExchange.start() : null;
        HbtpHello ack = new HbtpHello(HbtpHello.VERSION, agreed, config.maxFrameLength(), config.maxMessageLength(),
                encrypted ? exchange.publicKey() : null);
        // Derived before HELLO_ACK goes out, so that an unusable client key is refused instead of answered.
        HbtpSessionKeys keys = encrypted ? exchange.finish(false, peer, ack, config.preSharedKey()) : null;

        peerMessageLimit = peer.messageLimit();
        int frameLimit = peer.frameLimit() - (encrypted ? HbtpFrameCipher.TAG_SIZE : 0);
        responses = new ResponseBuffer(ctx.alloc(), frameLimit,
                (agreed & HbtpCapabilities.ZSTD) != 0 ? config.compressionThreshold() : 0, config.zstdDictionary());
        Channel channel = ctx.channel();
        session = new HbtpServerSession(channel, this, peer, agreed);
        channel.attr(HbtpServerSession.KEY).set(session);

        ctx.writeAndFlush(ack.frame(ctx.alloc(), HbtpOpcode.HELLO_ACK, frame.sequence()));
        if (encrypted) {
            codec().startEncryption(keys);
            // Key confirmation at no extra round trip: the client's connect completes only once it has
            // opened this PING, so a client whose keys differ (a man in the middle, another pre-shared
            // key) fails its connect instead of its first call.
            sendPing();
        }

        if (config.onSession() != null) {
            try {
                config.onSession().accept(session);
            } catch (RuntimeException e) {
                LOG.warn("HBTP onSession listener failed for {}", channel, e);
            }
        }
    }

    private HbtpFrameCodec codec() {
        HbtpFrameCodec codec = ctx.pipeline().get(HbtpFrameCodec.class);
        if (codec == null) {
            throw new IllegalStateException("HBTP encryption needs an HbtpFrameCodec in the pipeline");
        }
        return codec;
    }

    private void onPing(HbtpFrame frame) {
        if (frame.payload().readableBytes() > MAX_PING_PAYLOAD) {
            throw protocolError("PING payload of " + frame.payload().readableBytes() + " bytes; at most 64");
        }
        responses.writePong(frame.sequence(), frame.payload());
        flushUnlessInBurst();
    }

    // ---- calls -----------------------------------------------------------------------------------------

    private void onCall(HbtpFrame frame) {
        ByteBuf body = frame.payload();
        HbtpMetadata metadata = frame.hasFlag(HbtpFlags.METADATA)
                ? HbtpMetadata.read(body, config.maxMetadataSize()) : HbtpMetadata.empty();
        if (body.readableBytes() < 2) {
            throw protocolError("RPC_CALL without a route");
        }
        int routeId = body.readUnsignedShortLE();
        int sequence = frame.sequence();
        boolean expectsResponse = frame.hasFlag(HbtpFlags.EXPECTS_RESPONSE);
        if (expectsResponse && inFlight.containsKey(sequence)) {
            throw protocolError("sequence " + sequence + " reused while its call is in flight");
        }

        HbtpRouter.Route route = config.router().find(routeId);
        if (route == null) {
            if (expectsResponse) {
                responses.writeRpcError(sequence, HbtpStatus.UNKNOWN_ROUTE, "no route " + routeId);
                flushUnlessInBurst();
            }
            return;
        }
        long deadline = 0;
        String deadlineText = metadata.get(HbtpMetadata.DEADLINE_MS);
        if (deadlineText != null) {
            long millis = parseDeadline(deadlineText);
            if (millis < 0) {
                if (expectsResponse) {
                    responses.writeRpcError(sequence, HbtpStatus.BAD_REQUEST,
                            "deadline-ms must be a positive number of milliseconds");
                    flushUnlessInBurst();
                }
                return;
            }
            deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        }

        HbtpCall call = new HbtpCall(session, routeId, sequence, expectsResponse, metadata,
                body.readRetainedSlice(body.readableBytes()), deadline);
        if (expectsResponse) {
            inFlight.put(sequence, call);
            if (deadline != 0) {
                call.deadlineTimer(ctx.executor().schedule(() -> onDeadline(call),
                        deadline - System.nanoTime(), TimeUnit.NANOSECONDS));
            }
        } else {
            fireAndForgetRunning++;
        }
        pauseReadingIfFull();
        dispatch(route, call);
    }

    private static long parseDeadline(String text) {
        try {
            long millis = Long.parseLong(text.trim());
            return millis > 0 ? millis : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void dispatch(HbtpRouter.Route route, HbtpCall call) {
        switch (route.kind()) {
            case INLINE -> {
                ByteBuf result;
                try {
                    result = route.handler().handle(call);
                } catch (Throwable t) {
                    complete(call, null, t);
                    return;
                }
                complete(call, result, null);
            }
            case ASYNC -> {
                CompletionStage<ByteBuf> stage;
                try {
                    stage = route.asyncHandler().handle(call);
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
            case BLOCKING -> {
                try {
                    config.offloadExecutor().execute(() -> {
                        ByteBuf result = null;
                        Throwable error = null;
                        try {
                            result = route.handler().handle(call);
                        } catch (Throwable t) {
                            error = t;
                        }
                        ByteBuf r = result;
                        Throwable e = error;
                        onLoop(() -> complete(call, r, e), call, r);
                    });
                } catch (RejectedExecutionException e) {
                    complete(call, null, new HbtpRpcException(HbtpStatus.UNAVAILABLE, "server is shutting down"));
                }
            }
        }
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
        }
    }

    /** The one place a call ends: answers it unless already answered, and releases its buffers. */
    private void complete(HbtpCall call, ByteBuf result, Throwable error) {
        try {
            if (call.answered() || !call.expectsResponse()) {
                if (!call.expectsResponse()) {
                    fireAndForgetRunning--;
                    if (error != null) {
                        LOG.warn("HBTP fire-and-forget call to route {} failed", call.route(), unwrap(error));
                    }
                }
                return;
            }
            call.markAnswered();
            inFlight.remove(call.sequence());
            if (!ctx.channel().isActive() || closeSent) {
                return;
            }
            if (error == null) {
                ByteBuf body = result != null ? result : Unpooled.EMPTY_BUFFER;
                if (body.readableBytes() > peerMessageLimit) {
                    LOG.warn("HBTP route {} answered {} bytes; the client accepts at most {}", call.route(),
                            body.readableBytes(), peerMessageLimit);
                    responses.writeRpcError(call.sequence(), call.responseMetadata(), HbtpStatus.INTERNAL,
                            "response exceeds the client's maximum message length");
                } else {
                    responses.writeRpcResponse(call.sequence(), call.responseMetadata(), body);
                }
            } else {
                writeError(call, unwrap(error));
            }
        } finally {
            ReferenceCountUtil.release(result);
            call.payload().release();
            afterCallEnded();
        }
    }

    private void writeError(HbtpCall call, Throwable error) {
        HbtpMetadata metadata = call.responseMetadata();
        if (error instanceof HbtpRpcException rpc) {
            responses.writeRpcError(call.sequence(), metadata, rpc.status(), rpc.getMessage());
        } else if (error instanceof java.util.concurrent.CancellationException) {
            responses.writeRpcError(call.sequence(), metadata, HbtpStatus.CANCELLED, "cancelled");
        } else {
            LOG.warn("HBTP route {} failed on {}", call.route(), ctx.channel(), error);
            responses.writeRpcError(call.sequence(), metadata, HbtpStatus.INTERNAL, "internal error");
        }
    }

    private void onCancel(int sequence) {
        HbtpCall call = inFlight.remove(sequence);
        if (call == null) {
            return;
        }
        call.markAnswered();
        call.cancel();
        responses.writeRpcError(sequence, HbtpStatus.CANCELLED, "cancelled by the client");
        afterCallEnded();
    }

    private void onDeadline(HbtpCall call) {
        if (call.answered() || !ctx.channel().isActive()) {
            return;
        }
        inFlight.remove(call.sequence());
        call.markAnswered();
        call.cancel();
        if (!closeSent) {
            responses.writeRpcError(call.sequence(), HbtpStatus.DEADLINE_EXCEEDED, "deadline exceeded");
        }
        afterCallEnded();
    }

    private void afterCallEnded() {
        resumeReadingIfRoom();
        flushUnlessInBurst();
        if (peerClosing && inFlight.isEmpty() && fireAndForgetRunning == 0) {
            answerCloseAndClose();
        }
    }

    private void pauseReadingIfFull() {
        if (!readingPaused && inFlight.size() + fireAndForgetRunning >= config.maxInFlight()) {
            readingPaused = true;
            ctx.channel().config().setAutoRead(false);
        }
    }

    private void resumeReadingIfRoom() {
        if (readingPaused && inFlight.size() + fireAndForgetRunning < config.maxInFlight()) {
            readingPaused = false;
            drainParked();
            if (!readingPaused && !draining) {
                ctx.channel().config().setAutoRead(true);
            }
        }
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    // ---- topics and events -----------------------------------------------------------------------------

    private void onSubscribe(ByteBuf body) {
        HbtpTopics topics = requireTopics("SUBSCRIBE");
        if (body.readableBytes() != 10) {
            throw protocolError("SUBSCRIBE is " + body.readableBytes() + " bytes; 10 expected");
        }
        int topic = body.readUnsignedShortLE();
        long knownVersion = body.readLongLE();
        subscribedTopics.add(topic);
        skippedTopics.remove(topic);
        topics.subscribe(session, topic, knownVersion);
    }

    private void onUnsubscribe(ByteBuf body) {
        HbtpTopics topics = requireTopics("UNSUBSCRIBE");
        if (body.readableBytes() != 2) {
            throw protocolError("UNSUBSCRIBE is " + body.readableBytes() + " bytes; 2 expected");
        }
        int topic = body.readUnsignedShortLE();
        subscribedTopics.remove(topic);
        skippedTopics.remove(topic);
        topics.unsubscribe(session, topic);
    }

    private HbtpTopics requireTopics(String what) {
        if ((session.capabilities() & HbtpCapabilities.STATE) == 0 || config.topics() == null) {
            throw protocolError(what + " without the STATE capability");
        }
        return config.topics();
    }

    /** Writes a topic update queued by {@link HbtpTopics}; releases the buffers in every case. */
    void writeTopic(int topic, boolean withSnapshot, long snapshotVersion, ByteBuf snapshot,
                    List<HbtpTopics.Delta> deltas) {
        try {
            if (!subscribedTopics.contains(topic) || !ctx.channel().isActive() || closeSent) {
                return;
            }
            if (!ctx.channel().isWritable()) {
                // Skip rather than queue: once writable again the subscriber gets the current state whole.
                skippedTopics.add(topic);
                return;
            }
            if (skippedTopics.contains(topic) && !withSnapshot) {
                return;
            }
            if (!fitsPeer(withSnapshot ? snapshot : null, deltas)) {
                // The client could never take this state; dropping it silently would leave it waiting.
                LOG.warn("HBTP topic {} update exceeds the client's maximum message length of {}; unsubscribing {}",
                        topic, peerMessageLimit, ctx.channel());
                subscribedTopics.remove(topic);
                config.topics().unsubscribe(session, topic);
                return;
            }
            ByteBuf prefix = ctx.alloc().heapBuffer(18);
            try {
                if (withSnapshot) {
                    skippedTopics.remove(topic);
                    prefix.writeShortLE(topic).writeLongLE(snapshotVersion);
                    responses.writeMessage(HbtpOpcode.STATE_SYNC, 0, prefix, snapshot);
                }
                for (HbtpTopics.Delta d : deltas) {
                    prefix.clear().writeShortLE(topic).writeLongLE(d.base()).writeLongLE(d.version());
                    responses.writeMessage(HbtpOpcode.STATE_DELTA, 0, prefix, d.bytes());
                }
            } finally {
                prefix.release();
            }
            flushUnlessInBurst();
        } finally {
            ReferenceCountUtil.release(snapshot);
            deltas.forEach(d -> d.bytes().release());
        }
    }

    private boolean fitsPeer(ByteBuf snapshot, List<HbtpTopics.Delta> deltas) {
        if (snapshot != null && 10 + snapshot.readableBytes() > peerMessageLimit) {
            return false;
        }
        for (HbtpTopics.Delta d : deltas) {
            if (18 + d.bytes().readableBytes() > peerMessageLimit) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && !skippedTopics.isEmpty() && config.topics() != null) {
            for (Integer topic : new ArrayList<>(skippedTopics)) {
                config.topics().resync(session, topic);
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void onClientEvent(ByteBuf body) {
        if (body.readableBytes() < 2) {
            throw protocolError("CLIENT_EVENT without an event id");
        }
        int event = body.readUnsignedShortLE();
        HbtpEventHandler handler = config.eventHandler(event);
        if (handler == null) {
            LOG.debug("HBTP CLIENT_EVENT {} has no handler; dropped", event);
            return;
        }
        try {
            handler.onEvent(session, event, body);
        } catch (Exception e) {
            LOG.warn("HBTP handler of CLIENT_EVENT {} failed on {}", event, ctx.channel(), e);
        }
    }

    void writeEvent(int event, ByteBuf payload) {
        try {
            if (session == null || !ctx.channel().isActive() || closeSent) {
                return;
            }
            responses.writeMessage(HbtpOpcode.SERVER_EVENT, 0, event, payload);
            flushUnlessInBurst();
        } finally {
            payload.release();
        }
    }

    // ---- keepalive and close ---------------------------------------------------------------------------

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && session != null && !closeSent && pongTimer == null) {
            sendPing();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    /** A PING whose PONG must come back within the pong timeout, or the connection closes with 1001. */
    private void sendPing() {
        ctx.writeAndFlush(HbtpWire.ping(ctx.alloc(), nextPingSequence));
        nextPingSequence = (nextPingSequence + 1) & HbtpHeader.MAX_SEQUENCE;
        pongTimer = ctx.executor().schedule(() -> closeWith(HbtpCloseCode.GOING_AWAY,
                        "keepalive timeout: no PONG within " + config.pongTimeout().toMillis() + " ms"),
                config.pongTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void cancelPongTimer() {
        cancel(pongTimer);
        pongTimer = null;
    }

    private void onPeerClose(HbtpFrame frame) {
        peerClosing = true;
        ByteBuf body = frame.payload();
        if (body.readableBytes() >= 2 && LOG.isDebugEnabled()) {
            LOG.debug("HBTP client {} closes with {}: {}", ctx.channel(), body.getUnsignedShortLE(body.readerIndex()),
                    body.toString(body.readerIndex() + 2, body.readableBytes() - 2, StandardCharsets.UTF_8));
        }
        if (inFlight.isEmpty() && fireAndForgetRunning == 0) {
            answerCloseAndClose();
        }
    }

    /** The peer's CLOSE, once its calls are done: answer it, unless our own CLOSE already went out. */
    private void answerCloseAndClose() {
        flushResponses();
        if (closeSent) {
            ctx.close();
            return;
        }
        writeClose(HbtpCloseCode.NORMAL, "").addListener(ChannelFutureListener.CLOSE);
    }

    /** Server-initiated close handshake; the client's CLOSE answer (or the pong timeout) ends it. */
    void startClose(int code, String reason) {
        if (closeSent || !ctx.channel().isActive()) {
            return;
        }
        flushResponses();
        writeClose(code, reason);
        closeTimer = ctx.executor().schedule(() -> ctx.close(), config.pongTimeout().toNanos(),
                TimeUnit.NANOSECONDS);
    }

    /** Protocol error or timeout: tell the peer why, then close at once. */
    private void closeWith(int code, String reason) {
        if (closeSent || !ctx.channel().isActive()) {
            return;
        }
        LOG.debug("HBTP closing {} with {}: {}", ctx.channel(), code, reason);
        if (responses != null) {
            responses.reset();
        }
        writeClose(code, reason).addListener(ChannelFutureListener.CLOSE);
    }

    private ChannelFuture writeClose(int code, String reason) {
        closeSent = true;
        return ctx.writeAndFlush(HbtpWire.close(ctx.alloc(), code, reason));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof HbtpProtocolException e) {
            closeWith(e.closeCode(), e.reason());
        } else if (cause instanceof IOException || cause.getCause() instanceof SSLException) {
            LOG.debug("HBTP connection {} failed", ctx.channel(), cause);
            ctx.close();
        } else {
            LOG.warn("HBTP connection {} failed", ctx.channel(), cause);
            closeWith(HbtpCloseCode.INTERNAL_ERROR, "internal error");
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel(helloTimer);
        cancel(pongTimer);
        cancel(closeTimer);
        for (HbtpCall call : new ArrayList<>(inFlight.values())) {
            call.markAnswered();
            call.cancel();
        }
        inFlight.clear();
        if (config.topics() != null && session != null) {
            for (Integer topic : subscribedTopics) {
                config.topics().unsubscribe(session, topic);
            }
        }
        subscribedTopics.clear();
        parked.forEach(HbtpFrame::release);
        parked.clear();
        if (responses != null) {
            responses.reset();
        }
        ctx.fireChannelInactive();
    }

    // ---- output ----------------------------------------------------------------------------------------

    private void flushUnlessInBurst() {
        if (!inReadBurst) {
            flushResponses();
        }
    }

    private void flushResponses() {
        if (responses == null) {
            return;
        }
        ByteBuf out = responses.take();
        if (out != null) {
            ctx.writeAndFlush(out, ctx.voidPromise());
        }
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private static HbtpProtocolException protocolError(String reason) {
        return new HbtpProtocolException(HbtpCloseCode.PROTOCOL_ERROR, reason);
    }
}
