package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * The life of one HBTP server connection: the connection bound, handshake, keepalive, the close handshake,
 * when to read and when to stop, and output. Calls are {@link CallDispatcher}'s, topics and events
 * {@link TopicFanOut}'s. Everything runs on the channel's event loop.
 *
 * <p>Reading stops while any bound is reached: the calls in flight use every slot or the request bytes the
 * connection may hold, or the peer does not read what it is sent (the channel is not writable). Frames that
 * one read had already taken wait, in order, until reading resumes.
 */
final class HbtpServerHandler extends ChannelDuplexHandler {

    private static final Logger LOG = LoggerFactory.getLogger(HbtpServerHandler.class);
    /** Failures a peer can cause on purpose are logged at most once per interval, over all connections. */
    private static final RateLimitedLog WARNINGS = new RateLimitedLog(LOG, RateLimitedLog.DEFAULT_INTERVAL);
    private static final RateLimitedLog REFUSALS = new RateLimitedLog(LOG, RateLimitedLog.DEFAULT_INTERVAL);

    private final HbtpServerConfig config;
    private final boolean startWhenAdded;
    private ChannelHandlerContext ctx;
    private HbtpServerSession session;
    private ResponseBuffer responses;
    private CallDispatcher calls;
    private TopicFanOut topics;
    private boolean connectionCounted;

    private boolean readingPaused;
    private boolean inReadBurst;
    /** Frames that arrived while reading was paused, in order; at most what one read had already taken. */
    private final ArrayDeque<HbtpFrame> parked = new ArrayDeque<>();
    private boolean draining;

    private Keepalive keepalive;
    private ScheduledFuture<?> helloTimer;
    private ScheduledFuture<?> pongTimer;
    private ScheduledFuture<?> closeTimer;
    private int nextPingSequence;
    /** The peer sent CLOSE: answer it once in-flight calls are done. */
    private boolean peerClosing;
    /** We sent CLOSE: nothing more is written. */
    private boolean closeSent;
    /** {@link #goAway} was asked: new calls are refused, CLOSE goes out with this code once the running calls end. */
    private int goAwayCode = -1;
    private String goAwayReason;
    /** The code of the first CLOSE sent or received, for the {@code closes} meter; -1 while none was. */
    private int closeCode = -1;
    private boolean closeCodeSentByServer;

    HbtpServerHandler(HbtpServerConfig config) {
        this(config, false);
    }

    /**
     * @param startWhenAdded the connection starts when this handler is added, not on {@code channelActive}: it is
     *                       added to a channel long active, behind a WebSocket upgrade
     */
    HbtpServerHandler(HbtpServerConfig config, boolean startWhenAdded) {
        this.config = config;
        this.startWhenAdded = startWhenAdded;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.keepalive = new Keepalive(ctx, config.idleTimeout().toNanos(), this::onIdle);
        if (startWhenAdded) {
            start();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (start()) {
            ctx.fireChannelActive();
        }
    }

    /** Counts the connection and starts its timers; refuses it (and returns false) at {@code maxConnections}. */
    private boolean start() {
        if (!config.limits().tryOpenConnection()) {
            REFUSALS.warn("HBTP server at maxConnections = {}: refusing {}", config.maxConnections(),
                    ctx.channel().remoteAddress());
            ctx.channel().config().setAutoRead(false);
            writeClose(HbtpCloseCode.POLICY, "too many connections").addListener(ChannelFutureListener.CLOSE);
            return false;
        }
        connectionCounted = true;
        keepalive.start();
        helloTimer = ctx.executor().schedule(() -> closeWith(HbtpCloseCode.PROTOCOL_ERROR,
                        "no HELLO within " + config.helloTimeout().toMillis() + " ms"),
                config.helloTimeout().toNanos(), TimeUnit.NANOSECONDS);
        return true;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HbtpFrame frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        inReadBurst = true;
        HbtpOpcode opcode = frame.opcode();
        boolean waitsNot = opcode == HbtpOpcode.PING || opcode == HbtpOpcode.PONG || opcode == HbtpOpcode.CANCEL;
        if ((readingPaused || !parked.isEmpty()) && !waitsNot) {
            // Keepalive does not wait behind calls, so a busy server still looks alive; nor does CANCEL, so a
            // peer at its limit can still give up on a call, even one that is waiting here.
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
                            session == null ? 0 : session.capabilities(), config.advertisedMessageLength(),
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
     * Handles parked frames in order until a bound is reached again. A call that completes inline while
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
        keepalive.activity();
        flushResponses();
        pauseReadingIfLimited();
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
            case RPC_CALL -> calls.onCall(frame);
            case CANCEL -> onCancel(frame.sequence());
            case SUBSCRIBE -> topics.onSubscribe(frame.payload());
            case UNSUBSCRIBE -> topics.onUnsubscribe(frame.payload());
            case CLIENT_EVENT -> topics.onClientEvent(frame.payload());
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
        HbtpHello ack = new HbtpHello(HbtpHello.VERSION, agreed, config.maxFrameLength(),
                config.advertisedMessageLength(), encrypted ? exchange.publicKey() : null);
        // Derived before HELLO_ACK goes out, so that an unusable client key is refused instead of answered.
        HbtpSessionKeys keys = encrypted ? exchange.finish(false, peer, ack, config.preSharedKey()) : null;

        int peerMessageLimit = peer.messageLimit();
        int frameLimit = peer.frameLimit() - (encrypted ? HbtpFrameCipher.TAG_SIZE : 0);
        responses = new ResponseBuffer(ctx.alloc(), frameLimit,
                (agreed & HbtpCapabilities.ZSTD) != 0 ? config.compressionThreshold() : 0, config.zstdDictionary());
        Channel channel = ctx.channel();
        session = new HbtpServerSession(channel, this, peer, agreed);
        calls = new CallDispatcher(config, this, ctx, session, responses, peerMessageLimit);
        topics = new TopicFanOut(config, this, ctx, session, responses, peerMessageLimit);
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
                warn("HBTP onSession listener failed for {}", channel, e);
            }
        }
    }

    /** CANCEL for a call running, or for one waiting unread among the parked frames (it then never runs). */
    private void onCancel(int sequence) {
        if (calls.onCancel(sequence)) {
            return;
        }
        for (var it = parked.iterator(); it.hasNext(); ) {
            HbtpFrame waiting = it.next();
            if (waiting.opcode() == HbtpOpcode.RPC_CALL && waiting.sequence() == sequence
                    && waiting.hasFlag(HbtpFlags.EXPECTS_RESPONSE)) {
                it.remove();
                waiting.release();
                responses.writeRpcError(sequence, HbtpStatus.CANCELLED, "cancelled by the client");
                flushUnlessInBurst();
                return;
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
        if (frame.payload().readableBytes() > HbtpWire.MAX_PING_PAYLOAD) {
            throw protocolError("PING payload of " + frame.payload().readableBytes() + " bytes; at most "
                    + HbtpWire.MAX_PING_PAYLOAD);
        }
        responses.writePong(frame.sequence(), frame.payload());
        flushUnlessInBurst();
    }

    // ---- reading and its bounds ------------------------------------------------------------------------

    /** Stops reading when the calls are at a bound or the peer does not read what it is sent. */
    void pauseReadingIfLimited() {
        if (!readingPaused && limited()) {
            readingPaused = true;
            ctx.channel().config().setAutoRead(false);
        }
    }

    private void resumeReadingIfRoom() {
        if (readingPaused && !limited()) {
            readingPaused = false;
            drainParked();
            if (!readingPaused && !draining) {
                ctx.channel().config().setAutoRead(true);
            }
        }
    }

    private boolean limited() {
        return (calls != null && calls.full()) || !ctx.channel().isWritable();
    }

    /** A call's handler returned: there may be room to read again, and the peer's CLOSE may be answered. */
    void afterCallEnded() {
        resumeReadingIfRoom();
        flushUnlessInBurst();
        if (peerClosing && calls.idle()) {
            answerCloseAndClose();
        } else if (goAwayCode >= 0 && calls.idle()) {
            startClose(goAwayCode, goAwayReason);
        }
    }

    /**
     * Graceful close from the server: new calls are answered UNAVAILABLE from now on, the running ones finish, and
     * CLOSE goes out when the last one has answered (at once when none runs). CLOSE is not sent first because its
     * sender may write nothing after it, and the answers of the running calls still have to go out.
     */
    void goAway(int code, String reason) {
        if (closeSent || goAwayCode >= 0 || !ctx.channel().isActive()) {
            return;
        }
        goAwayCode = code;
        goAwayReason = reason;
        if (calls == null || calls.idle()) {
            startClose(code, reason);
        }
    }

    /** Whether new calls are refused because the server is going away. */
    boolean goingAway() {
        return goAwayCode >= 0;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            if (topics != null) {
                topics.onWritable();
            }
            resumeReadingIfRoom();
        } else {
            pauseReadingIfLimited();
        }
        ctx.fireChannelWritabilityChanged();
    }

    // ---- topics and events, for HbtpTopics and HbtpServerSession ----------------------------------------

    void writeTopic(int topic, boolean withSnapshot, long snapshotVersion, ByteBuf snapshot,
                    List<HbtpTopics.Delta> deltas) {
        topics.writeTopic(topic, withSnapshot, snapshotVersion, snapshot, deltas);
    }

    void writeEvent(int event, ByteBuf payload) {
        topics.writeEvent(event, payload);
    }

    // ---- keepalive and close ---------------------------------------------------------------------------

    /** Nothing read or written for the idle timeout: PING, unless one is still unanswered. */
    private void onIdle() {
        if (session != null && !closeSent && pongTimer == null) {
            sendPing();
        }
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
        if (closeCode < 0) {
            closeCode = body.readableBytes() >= 2 ? body.getUnsignedShortLE(body.readerIndex()) : 0;
        }
        if (body.readableBytes() >= 2 && LOG.isDebugEnabled()) {
            LOG.debug("HBTP client {} closes with {}: {}", ctx.channel(), body.getUnsignedShortLE(body.readerIndex()),
                    body.toString(body.readerIndex() + 2, body.readableBytes() - 2, StandardCharsets.UTF_8));
        }
        if (calls.idle()) {
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
        if (closeCode < 0) {
            closeCode = code;
            closeCodeSentByServer = true;
        }
        return ctx.writeAndFlush(HbtpWire.close(ctx.alloc(), code, fitting(reason)));
    }

    /**
     * The reason cut to what the peer takes in one frame (CLOSE is never fragmented): its advertised frame limit once
     * its HELLO is known, else the least any peer may advertise; room left for a tag in case encryption is on.
     */
    private String fitting(String reason) {
        int limit = (session != null ? session.peerHello().frameLimit() : HbtpHello.MIN_FRAME_LENGTH)
                - 2 - HbtpFrameCipher.TAG_SIZE;
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= limit) {
            return reason;
        }
        int end = Math.max(0, limit);
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    /** The code of the CLOSE this server sent first, or -1 when it sent none or the client closed first. */
    int closeCodeSent() {
        return closeCodeSentByServer ? closeCode : -1;
    }

    /** Whether answers, events and topic updates may still be written. */
    boolean canWrite() {
        return ctx.channel().isActive() && !closeSent;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof HbtpProtocolException e) {
            closeWith(e.closeCode(), e.reason());
        } else if (cause instanceof IOException || cause.getCause() instanceof SSLException) {
            LOG.debug("HBTP connection {} failed", ctx.channel(), cause);
            ctx.close();
        } else {
            warn("HBTP connection {} failed", ctx.channel(), cause);
            closeWith(HbtpCloseCode.INTERNAL_ERROR, "internal error");
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        keepalive.stop();
        cancel(helloTimer);
        cancel(pongTimer);
        cancel(closeTimer);
        if (calls != null) {
            calls.cancelAll();
        }
        if (topics != null) {
            topics.unsubscribeAll();
        }
        parked.forEach(HbtpFrame::release);
        parked.clear();
        if (responses != null) {
            responses.reset();
        }
        if (connectionCounted) {
            connectionCounted = false;
            config.limits().connectionClosed();
        }
        if (config.metrics() != null) {
            config.metrics().recordClose(closeCode, closeCodeSentByServer);
        }
        ctx.fireChannelInactive();
    }

    // ---- output ----------------------------------------------------------------------------------------

    /**
     * Answers of one read burst go out together at its end, unless they pass the channel's high-water mark
     * before: a burst of small calls for large answers must not build a buffer of its own that no
     * writability check sees. Flushed then, the channel turns unwritable and reading stops.
     */
    void flushUnlessInBurst() {
        if (!inReadBurst
                || responses.pendingBytes() >= ctx.channel().config().getWriteBufferHighWaterMark()) {
            flushResponses();
        }
    }

    private void flushResponses() {
        if (responses == null) {
            return;
        }
        ByteBuf out = responses.take();
        if (out != null) {
            keepalive.activity();
            ctx.writeAndFlush(out, ctx.voidPromise());
            closeIfPeerDoesNotRead();
        }
    }

    /**
     * Reading already stops while the peer does not read; what still piles up (answers to calls taken
     * before, events) is bounded here. Waiting for a CLOSE to be flushed would wait for the very peer that
     * does not read, so the connection is closed at once.
     */
    private void closeIfPeerDoesNotRead() {
        ChannelOutboundBuffer queue = ctx.channel().unsafe().outboundBuffer();
        long queued = queue == null ? 0 : queue.totalPendingWriteBytes();
        if (queued > config.maxOutboundBytes() && !closeSent) {
            warn("HBTP client {} does not read: {} bytes queued for it, at most {}; closing", ctx.channel(), queued,
                    config.maxOutboundBytes());
            responses.reset();
            writeClose(HbtpCloseCode.TOO_LARGE, "client does not read: " + queued + " bytes queued");
            ctx.close();
        }
    }

    /** A warning a peer could cause on purpose: rate-limited over all connections. */
    void warn(String format, Object... arguments) {
        WARNINGS.warn(format, arguments);
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    static HbtpProtocolException protocolError(String reason) {
        return new HbtpProtocolException(HbtpCloseCode.PROTOCOL_ERROR, reason);
    }
}
