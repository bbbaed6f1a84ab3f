package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The client side of one HBTP connection. Every method runs on the channel's event loop; {@link HbtpClient}
 * hops there, and {@link #cancel} and {@link #unsubscribe}, which futures and subscriptions call from any
 * thread, hop there themselves.
 */
final class HbtpClientHandler extends ChannelDuplexHandler {

    private static final Logger LOG = LoggerFactory.getLogger(HbtpClientHandler.class);
    private static final long MAX_TIMEOUT_NANOS = TimeUnit.DAYS.toNanos(36_500);

    private final HbtpClientConfig config;
    final CompletableFuture<HbtpHello> handshake = new CompletableFuture<>();
    final CompletableFuture<Void> closed = new CompletableFuture<>();
    private ChannelHandlerContext ctx;
    private HbtpHello serverHello;
    private int agreedCapabilities;
    /** Largest frame payload to send: the server's limit, less the tag when frames are sealed. */
    private int frameLimit;
    private HbtpKeyExchange keyExchange;
    /** What this client sent, kept for the key schedule's transcript. */
    private HbtpHello hello;
    /** HELLO_ACK agreed on encryption; the handshake completes once a sealed frame from the server opens. */
    private HbtpHello unconfirmedHello;

    private final PendingCalls pending;
    /** {@code null} without metrics. */
    private final ClientMetrics metrics;
    /**
     * One timer for every call's timeout, due at the earliest deadline of the calls pending when it was set:
     * a call costs no timer of its own, and the timer is moved only for a call due before it.
     */
    private ScheduledFuture<?> timeoutTimer;
    private long timeoutTimerDue;
    private final Runnable expireCalls = this::expireCalls;
    /**
     * Calls are written as they come and flushed once per turn of the event loop, however many came; calls made
     * while this connection's read burst is handled (by the callbacks of its answers) are flushed as the burst
     * ends, as an echo server flushes its answers, rather than after every other connection's reads.
     */
    private boolean flushScheduled;
    private boolean reading;
    /**
     * The clock when the last read burst ended (or the handler was added). A call made during a burst (from an
     * answer's callback, the common case under load) is not sent before the burst ends: it takes a provisional
     * deadline from this time, which only a call ended inside the same burst ever uses (to time it), and its
     * final one when the burst's writes are flushed ({@link #undated}). So a burst costs one clock read, shared
     * with the keepalive, instead of one per call (the clock was a tenth of a loaded client's CPU in a
     * profile), and the timeout counts from when the call leaves.
     */
    private long lastBurstEnd;
    /** Calls made during the current read burst, whose deadlines start when it ends. */
    private final List<HbtpCallFuture> undated = new ArrayList<>();
    /** The frame being read gave its payload to a caller, who releases it: the frame is not released here. */
    private boolean payloadHandedOver;
    private boolean flushAfterRead;
    private Keepalive keepalive;
    private final Runnable flushTask = () -> {
        flushScheduled = false;
        keepalive.activity();
        ctx.flush();
    };
    /** Subscriptions and listeners, the client's: they outlive this connection when the client reconnects. */
    private final ClientState state;
    /** Topics and events on this connection; made once the context is known. */
    private ClientTopics topics;

    /** What HELLO offers; the agreed set is the server's answer within it. */
    private final int offeredCapabilities;
    private ScheduledFuture<?> pongTimer;
    private boolean closeSent;
    private String closeReason;
    /** The code of the first CLOSE sent or received; -1 while none was. */
    private int closeCode = -1;
    /** The server sent CLOSE (rather than this client, for a protocol error or keepalive timeout). */
    private boolean serverClosed;

    HbtpClientHandler(HbtpClientConfig config) {
        this(config, new ClientState());
    }

    HbtpClientHandler(HbtpClientConfig config, ClientState state) {
        this.config = config;
        this.state = state;
        this.metrics = config.metrics();
        this.pending = new PendingCalls(metrics != null ? metrics.inFlight : null);
        int offered = HbtpCapabilities.SUPPORTED;
        if (config.compressionThreshold() == 0) {
            offered &= ~HbtpCapabilities.ZSTD;
        }
        if (config.encryption() == HbtpEncryptionMode.OFF) {
            offered &= ~HbtpCapabilities.ENCRYPTION;
        }
        this.offeredCapabilities = offered;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.keepalive = new Keepalive(ctx, config.idleTimeout().toNanos(), this::onIdle);
        this.lastBurstEnd = now();
        this.topics = new ClientTopics(state, ctx, () -> !closeSent && ctx.channel().isActive());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        keyExchange = (offeredCapabilities & HbtpCapabilities.ENCRYPTION) != 0 ? HbtpKeyExchange.start() : null;
        hello = new HbtpHello(HbtpHello.VERSION, offeredCapabilities, config.maxFrameLength(),
                config.advertisedMessageLength(), keyExchange != null ? keyExchange.publicKey() : null);
        ctx.writeAndFlush(hello.frame(ctx.alloc(), HbtpOpcode.HELLO, 0));
        keepalive.start();
        ctx.fireChannelActive();
    }

    HbtpHello serverHello() {
        return serverHello;
    }

    int capabilities() {
        return agreedCapabilities;
    }

    int inFlight() {
        return pending.size();
    }

    io.netty.channel.Channel channel() {
        return ctx.channel();
    }

    // ---- outbound --------------------------------------------------------------------------------------

    void call(HbtpCallFuture future, int route, ByteBuf payload, HbtpMetadata metadata, long timeoutNanos) {
        try {
            int sequence = register(future, timeoutNanos);
            if (sequence >= 0 && writeCall(route, HbtpFlags.EXPECTS_RESPONSE, sequence, payload, metadata, future)) {
                watchUnlessUndated(future);
            }
        } finally {
            payload.release();
        }
    }

    /**
     * A call whose body was written at {@code frame}'s reader index behind {@link HbtpClient#IN_PLACE_HEADROOM}
     * bytes of room: the header and route go into that room and the buffer itself is sent, unless the call
     * needs what only {@link #writeCall} does (compression, more than one frame).
     */
    void callInPlace(HbtpCallFuture future, int route, ByteBuf frame, long timeoutNanos) {
        boolean sent = false;
        try {
            int sequence = register(future, timeoutNanos);
            if (sequence < 0) {
                return;
            }
            int length = 2 + frame.readableBytes();
            boolean compressible = (agreedCapabilities & HbtpCapabilities.ZSTD) != 0
                    && length >= config.compressionThreshold();
            if (length > frameLimit || compressible) {
                if (writeCall(route, HbtpFlags.EXPECTS_RESPONSE, sequence, frame, HbtpMetadata.empty(), future)) {
                    watchUnlessUndated(future);
                }
                return;
            }
            int start = frame.readerIndex() - HbtpClient.IN_PLACE_HEADROOM;
            HbtpHeader.set(frame, start, HbtpOpcode.RPC_CALL.code(), HbtpFlags.EXPECTS_RESPONSE | HbtpFlags.FINAL,
                    sequence, length);
            frame.setShortLE(start + HbtpHeader.SIZE, route);
            frame.readerIndex(start);
            sent = true;
            ctx.write(frame, ctx.voidPromise());
            flushSoon();
            watchUnlessUndated(future);
        } finally {
            if (!sent) {
                frame.release();
            }
        }
    }

    /**
     * Takes a sequence for {@code future} and keeps it pending with its deadline; -1 when the call cannot be
     * made (its future failed here) or was cancelled before it reached the loop.
     */
    private int register(HbtpCallFuture future, long timeoutNanos) {
        if (!usable(future)) {
            return -1;
        }
        if (pending.size() >= config.maxInFlight()) {
            future.completeExceptionally(new HbtpException(HbtpErrorCategory.RESOURCE, "too many calls in flight: "
                    + pending.size() + " (maxInFlight " + config.maxInFlight() + ")"));
            return -1;
        }
        if (future.isDone()) {
            return -1;
        }
        future.timeoutNanos = timeoutNanos;
        // Capped so that the deadline cannot wrap around; a century is as good as never.
        if (reading) {
            future.deadline = lastBurstEnd + Math.min(timeoutNanos, MAX_TIMEOUT_NANOS);
            undated.add(future);
        } else {
            future.deadline = now() + Math.min(timeoutNanos, MAX_TIMEOUT_NANOS);
        }
        return pending.add(future);
    }

    void callAndForget(CompletableFuture<Void> sent, int route, ByteBuf payload) {
        try {
            if (!usable(sent)) {
                return;
            }
            if (writeCall(route, 0, 0, payload, HbtpMetadata.empty(), sent)) {
                sent.complete(null);
            }
        } finally {
            payload.release();
        }
    }

    void sendEvent(int event, ByteBuf payload) {
        try {
            if (serverHello == null || closeSent || !ctx.channel().isActive()) {
                LOG.debug("HBTP client event {} dropped: connection not open", event);
                return;
            }
            if (2 + payload.readableBytes() > serverHello.messageLimit()) {
                throw new HbtpException(HbtpErrorCategory.RESOURCE, false, "event of " + payload.readableBytes()
                        + " bytes exceeds the server's maximum message length of " + serverHello.messageLimit(), null);
            }
            ctx.write(encodeMessage(HbtpOpcode.CLIENT_EVENT, 0, 0, HbtpMetadata.empty(), event, payload),
                    ctx.voidPromise());
            flushSoon();
        } finally {
            payload.release();
        }
    }

    private boolean writeCall(int route, int flags, int sequence, ByteBuf payload, HbtpMetadata metadata,
                              CompletableFuture<?> future) {
        int metadataSize = metadata.isEmpty() ? 0 : metadata.encodedSize();
        int length = metadataSize + 2 + payload.readableBytes();
        if (length > serverHello.messageLimit()) {
            fail(future, new HbtpException(HbtpErrorCategory.RESOURCE, false, "call of " + length
                    + " bytes exceeds the server's maximum message length of " + serverHello.messageLimit(), null));
            return false;
        }
        ctx.write(encodeMessage(HbtpOpcode.RPC_CALL, flags, sequence, metadata, route, payload), ctx.voidPromise());
        flushSoon();
        return true;
    }

    /**
     * Flushes once the tasks queued now have run: calls handed over from other threads in the meantime go
     * out in the same flush. The task is allocated once per connection.
     */
    private void flushSoon() {
        if (reading) {
            flushAfterRead = true;
        } else if (!flushScheduled) {
            flushScheduled = true;
            ctx.executor().execute(flushTask);
        }
    }

    /**
     * The frames of one message whose body is the metadata block (when not empty), a {@code u16} id (route
     * or event) and {@code payload} (not consumed): compressed when ZSTD was agreed and it pays.
     */
    private ByteBuf encodeMessage(HbtpOpcode opcode, int flags, int sequence, HbtpMetadata metadata, int id,
                                  ByteBuf payload) {
        int metadataSize = metadata.isEmpty() ? 0 : metadata.encodedSize();
        int bodyFlags = metadataSize > 0 ? flags | HbtpFlags.METADATA : flags;
        int length = metadataSize + 2 + payload.readableBytes();
        if ((agreedCapabilities & HbtpCapabilities.ZSTD) != 0 && length >= config.compressionThreshold()) {
            ByteBuf compressed = compress(metadata, id, payload, length);
            if (compressed != null) {
                try {
                    ByteBuf out = ctx.alloc().ioBuffer(HbtpHeader.SIZE + compressed.readableBytes());
                    HbtpWire.writeMessage(out, opcode, bodyFlags | HbtpFlags.COMPRESSED, sequence, compressed,
                            frameLimit);
                    return out;
                } finally {
                    compressed.release();
                }
            }
        }
        ByteBuf out = ctx.alloc().ioBuffer(HbtpHeader.SIZE + length);
        if (metadataSize == 0) {
            HbtpWire.writeMessage(out, opcode, bodyFlags, sequence, id, payload, frameLimit);
            return out;
        }
        ByteBuf prefix = ctx.alloc().heapBuffer(metadataSize + 2);
        try {
            metadata.write(prefix);
            prefix.writeShortLE(id);
            HbtpWire.writeMessage(out, opcode, bodyFlags, sequence, prefix, payload, frameLimit);
            return out;
        } finally {
            prefix.release();
        }
    }

    /** The compressed body, or {@code null} when compressing does not make it smaller. */
    private ByteBuf compress(HbtpMetadata metadata, int id, ByteBuf payload, int length) {
        ByteBuf body = ctx.alloc().directBuffer(length);
        try {
            if (!metadata.isEmpty()) {
                metadata.write(body);
            }
            body.writeShortLE(id).writeBytes(payload, payload.readerIndex(), payload.readableBytes());
            return HbtpCompression.compress(ctx.alloc(), body, config.compressionThreshold(),
                    config.zstdDictionary());
        } finally {
            body.release();
        }
    }

    private void fail(CompletableFuture<?> future, Throwable cause) {
        if (future instanceof HbtpCallFuture call && call.sequence >= 0) {
            pending.remove(call.sequence);
        }
        future.completeExceptionally(cause);
    }

    private boolean usable(CompletableFuture<?> future) {
        if (closeSent || !ctx.channel().isActive() || serverHello == null) {
            future.completeExceptionally(state.reconnecting
                    ? new HbtpException(HbtpErrorCategory.UNAVAILABLE, "not connected: reconnecting"
                            + (closeReason != null ? " after " + closeReason : ""))
                    : new HbtpException(closedCategory(), "connection is closed"
                            + (closeReason != null ? ": " + closeReason : "")));
            return false;
        }
        return true;
    }

    /**
     * Forgets a call its future has cancelled and sends CANCEL, on the event loop whatever thread cancelled:
     * the calls in flight are the loop's alone. Queued behind the task that made the call, so a call
     * cancelled before it went out is never sent. Once the loop has stopped there is nothing left to tell.
     */
    void cancel(HbtpCallFuture future) {
        EventExecutor loop = ctx.executor();
        if (!loop.inEventLoop()) {
            try {
                loop.execute(() -> cancel(future));
            } catch (RejectedExecutionException e) {
                LOG.debug("HBTP call {} cancelled after the event loop stopped", future.sequence);
            }
            return;
        }
        int sequence = future.sequence;
        if (sequence < 0 || pending.get(sequence) != future) {
            return;
        }
        pending.remove(sequence);
        recordCall(future, HbtpStatus.CANCELLED);
        sendCancel(sequence);
    }

    /**
     * Times a call that left the pending table, from when it was registered: that is its deadline less its
     * timeout, so no clock is read when a call is made. Statuses are the server's, or for what the client
     * decided itself: DEADLINE_EXCEEDED (timeout), CANCELLED (the caller), UNAVAILABLE (the connection ended).
     */
    private void recordCall(HbtpCallFuture future, int status) {
        if (metrics != null) {
            long start = future.deadline - Math.min(future.timeoutNanos, MAX_TIMEOUT_NANOS);
            metrics.recordCall(future.route(), status, now() - start);
        }
    }

    /** A call made outside a read burst has its final deadline: the timer watches it now. */
    private void watchUnlessUndated(HbtpCallFuture future) {
        if (!reading) {
            watchDeadline(future.deadline);
        }
    }

    /** The calls made during the read burst that ended at {@code now} are sent now: their timeouts start. */
    private void dateCallsOfTheBurst(long now) {
        if (undated.isEmpty()) {
            return;
        }
        for (HbtpCallFuture future : undated) {
            future.deadline = now + Math.min(future.timeoutNanos, MAX_TIMEOUT_NANOS);
            watchDeadline(future.deadline);
        }
        undated.clear();
    }

    /** Makes sure the timeout timer is due no later than {@code deadline}. */
    private void watchDeadline(long deadline) {
        if (timeoutTimer != null) {
            if (timeoutTimerDue - deadline <= 0) {
                return;
            }
            timeoutTimer.cancel(false);
        }
        timeoutTimerDue = deadline;
        timeoutTimer = ctx.executor().schedule(expireCalls, deadline - now(), TimeUnit.NANOSECONDS);
    }

    /** The clock the event loop schedules by. */
    private long now() {
        return ctx.executor().ticker().nanoTime();
    }

    /** The timeout timer: fails the calls past their deadline and sets itself for the next one. */
    private void expireCalls() {
        timeoutTimer = null;
        long now = now();
        List<HbtpCallFuture> expired = new ArrayList<>();
        long next = 0;
        boolean waiting = false;
        for (HbtpCallFuture future : pending.snapshot()) {
            if (future.deadline - now <= 0) {
                expired.add(future);
            } else if (!waiting || future.deadline - next < 0) {
                next = future.deadline;
                waiting = true;
            }
        }
        for (HbtpCallFuture future : expired) {
            pending.remove(future.sequence);
            recordCall(future, HbtpStatus.DEADLINE_EXCEEDED);
            future.completeExceptionally(new HbtpTimeoutException("call to route " + future.route()
                    + " got no answer within " + TimeUnit.NANOSECONDS.toMillis(future.timeoutNanos) + " ms"));
            sendCancel(future.sequence);
        }
        if (waiting) {
            watchDeadline(next);
        }
    }

    private void sendCancel(int sequence) {
        if (closeSent || !ctx.channel().isActive()) {
            return;
        }
        ByteBuf out = ctx.alloc().ioBuffer(HbtpHeader.SIZE);
        HbtpHeader.write(out, HbtpOpcode.CANCEL.code(), HbtpFlags.FINAL, sequence, 0);
        ctx.writeAndFlush(out, ctx.voidPromise());
    }

    void subscribe(HbtpSubscription subscription) {
        topics.subscribe(subscription, agreedCapabilities);
    }

    /** From any thread: the subscriptions are the event loop's. */
    void unsubscribe(HbtpSubscription subscription) {
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(() -> unsubscribe(subscription));
            return;
        }
        topics.unsubscribe(subscription);
    }

    void onServerEvent(int event, HbtpClientEventListener listener) {
        state.eventListeners.put(event, listener);
    }

    // ---- inbound ---------------------------------------------------------------------------------------

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HbtpFrame frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        HbtpFrame plain = frame;
        reading = true;
        try {
            if (frame.hasFlag(HbtpFlags.COMPRESSED)) {
                plain = HbtpCompression.inflate(ctx.alloc(), frame, agreedCapabilities, config.maxMessageLength(),
                        config.zstdDictionary());
            }
            onFrame(plain);
        } catch (HbtpProtocolException e) {
            closeWith(e.closeCode(), e.reason());
        } finally {
            if (plain != frame) {
                frame.release();
            }
            if (payloadHandedOver) {
                payloadHandedOver = false;
            } else {
                plain.release();
            }
        }
    }

    private void onFrame(HbtpFrame frame) {
        if (serverHello == null) {
            if (unconfirmedHello != null) {
                // The codec opened a frame the server sealed: both ends hold the same keys.
                confirm(unconfirmedHello);
            } else if (frame.opcode() == HbtpOpcode.HELLO_ACK) {
                onHelloAck(frame);
                return;
            } else if (frame.opcode() != HbtpOpcode.CLOSE) {
                throw protocolError(frame.opcode() + " before HELLO_ACK");
            }
        }
        switch (frame.opcode()) {
            case RPC_RESPONSE -> onResponse(frame);
            case RPC_ERROR -> onError(frame);
            case PING -> onPing(frame);
            case PONG -> {
                if (pongTimer != null) {
                    pongTimer.cancel(false);
                    pongTimer = null;
                }
            }
            case STATE_SYNC -> topics.onStateSync(frame.payload());
            case STATE_DELTA -> topics.onStateDelta(frame.payload());
            case SERVER_EVENT -> topics.onEvent(frame.payload());
            case CLOSE -> onClose(frame.payload());
            default -> throw protocolError(frame.opcode() + " is not sent by servers");
        }
    }

    private void onHelloAck(HbtpFrame frame) {
        HbtpHello hello = HbtpHello.read(frame.payload());
        int granted = hello.capabilities();
        if ((granted & ~offeredCapabilities) != 0) {
            throw protocolError("HELLO_ACK grants " + HbtpCapabilities.toString(granted & ~offeredCapabilities)
                    + ", which this client did not offer");
        }
        agreedCapabilities = granted;
        if ((granted & HbtpCapabilities.ENCRYPTION) == 0) {
            if (config.encryption() == HbtpEncryptionMode.REQUIRED) {
                throw new HbtpProtocolException(HbtpCloseCode.POLICY,
                        "the server did not agree to encryption, which this client requires");
            }
            confirm(hello);
            return;
        }
        HbtpSessionKeys keys = keyExchange.finish(true, this.hello, hello, config.preSharedKey());
        keyExchange = null;
        HbtpFrameCodec codec = ctx.pipeline().get(HbtpFrameCodec.class);
        codec.startEncryption(keys);
        unconfirmedHello = hello;
    }

    private void confirm(HbtpHello hello) {
        boolean encrypted = (agreedCapabilities & HbtpCapabilities.ENCRYPTION) != 0;
        frameLimit = hello.frameLimit() - (encrypted ? HbtpFrameCipher.TAG_SIZE : 0);
        unconfirmedHello = null;
        serverHello = hello;
        topics.resubscribe(agreedCapabilities);
        handshake.complete(hello);
    }

    private void onResponse(HbtpFrame frame) {
        HbtpCallFuture future = pending.remove(frame.sequence());
        if (future == null) {
            return; // cancelled or timed out here first
        }
        recordCall(future, HbtpStatus.OK);
        ByteBuf body = frame.payload();
        if (frame.hasFlag(HbtpFlags.METADATA)) {
            future.responseMetadata(HbtpMetadata.read(body, HbtpMetadata.DEFAULT_MAX_SIZE));
        }
        // The frame's only reference goes to the caller: no retain here and no release after.
        payloadHandedOver = true;
        future.deliver(body);
    }

    /** The metadata block that starts {@code body} when the frame says so (read past); otherwise empty. */
    private static HbtpMetadata readMetadata(HbtpFrame frame, ByteBuf body) {
        return frame.hasFlag(HbtpFlags.METADATA)
                ? HbtpMetadata.read(body, HbtpMetadata.DEFAULT_MAX_SIZE) : HbtpMetadata.empty();
    }

    private void onError(HbtpFrame frame) {
        ByteBuf body = frame.payload();
        HbtpMetadata metadata = readMetadata(frame, body);
        if (body.readableBytes() < 2) {
            throw protocolError("RPC_ERROR without a status");
        }
        int status = body.readUnsignedShortLE();
        if (status == HbtpStatus.OK) {
            throw protocolError("RPC_ERROR with status OK");
        }
        String message = body.toString(StandardCharsets.UTF_8);
        HbtpCallFuture future = pending.remove(frame.sequence());
        if (future == null) {
            return;
        }
        recordCall(future, status);
        future.responseMetadata(metadata);
        future.completeExceptionally(new HbtpRpcException(status, message, metadata));
    }

    private void onPing(HbtpFrame frame) {
        ByteBuf body = frame.payload();
        if (body.readableBytes() > HbtpWire.MAX_PING_PAYLOAD) {
            throw protocolError("PING payload of " + body.readableBytes() + " bytes; at most " + HbtpWire.MAX_PING_PAYLOAD);
        }
        if (!ctx.channel().isWritable()) {
            // The server is not reading what it is sent: a PONG would only join the queue, and a server that
            // sends PINGs without reading could grow it without bound. The client does not stop reading for
            // this (as the server does): what it reads are answers, which free memory, and a client that
            // stopped reading while the server stops too would wait on each other for good.
            return;
        }
        ByteBuf out = ctx.alloc().ioBuffer(HbtpHeader.SIZE + body.readableBytes());
        HbtpHeader.write(out, HbtpOpcode.PONG.code(), HbtpFlags.FINAL, frame.sequence(), body.readableBytes());
        out.writeBytes(body, body.readerIndex(), body.readableBytes());
        ctx.writeAndFlush(out, ctx.voidPromise());
    }

    private void onClose(ByteBuf body) {
        int code = body.readableBytes() >= 2 ? body.readUnsignedShortLE() : HbtpCloseCode.PROTOCOL_ERROR;
        String reason = body.toString(StandardCharsets.UTF_8);
        closeReason = "server closed with " + code + (reason.isEmpty() ? "" : " (" + reason + ")");
        if (closeSent) {
            ctx.close(); // the answer to our CLOSE, whose code stays the one recorded
            return;
        }
        closeCode = code;
        serverClosed = true;
        // The server sends nothing more, so calls still pending will not be answered: answer and close.
        failPending(new HbtpException(closedCategory(), "connection closed: " + closeReason));
        writeClose(HbtpCloseCode.NORMAL, "").addListener(ChannelFutureListener.CLOSE);
    }

    // ---- keepalive, close, errors ----------------------------------------------------------------------

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        long now = now();
        lastBurstEnd = now;
        keepalive.activity(now);
        reading = false;
        dateCallsOfTheBurst(now);
        if (flushAfterRead) {
            flushAfterRead = false;
            ctx.flush();
        }
        ctx.fireChannelReadComplete();
    }

    /** Nothing read or written for the idle timeout: PING, unless one is still unanswered. */
    private void onIdle() {
        if (serverHello != null && !closeSent && pongTimer == null) {
            ctx.writeAndFlush(HbtpWire.ping(ctx.alloc(), 0), ctx.voidPromise());
            pongTimer = ctx.executor().schedule(() -> {
                closeReason = "keepalive timeout: no PONG within " + config.pongTimeout().toMillis() + " ms";
                closeWith(HbtpCloseCode.GOING_AWAY, closeReason);
            }, config.pongTimeout().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** Client-initiated close handshake; the server answers after finishing the calls in flight. */
    void startClose() {
        if (closeSent || !ctx.channel().isActive()) {
            ctx.close();
            return;
        }
        writeClose(HbtpCloseCode.NORMAL, "");
        ctx.executor().schedule(() -> ctx.close(), config.pongTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void closeWith(int code, String reason) {
        if (closeSent || !ctx.channel().isActive()) {
            return;
        }
        closeReason = closeReason != null ? closeReason : "protocol error " + code + ": " + reason;
        writeClose(code, reason).addListener(ChannelFutureListener.CLOSE);
    }

    private ChannelFuture writeClose(int code, String reason) {
        closeSent = true;
        if (closeCode < 0) {
            closeCode = code;
        }
        return ctx.writeAndFlush(HbtpWire.close(ctx.alloc(), code, reason));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof HbtpProtocolException e) {
            closeWith(e.closeCode(), e.reason());
        } else {
            LOG.debug("HBTP client connection {} failed", ctx.channel(), cause);
            closeReason = closeReason != null ? closeReason : cause.toString();
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        keepalive.stop();
        if (pongTimer != null) {
            pongTimer.cancel(false);
        }
        HbtpException cause = new HbtpException(closedCategory(), "connection closed"
                + (closeReason != null ? ": " + closeReason : ""));
        handshake.completeExceptionally(cause);
        failPending(cause);
        if (metrics != null) {
            metrics.recordClose(closeCode, serverClosed);
        }
        closed.complete(null);
        ctx.fireChannelInactive();
    }

    private void failPending(HbtpException cause) {
        undated.clear();
        List<HbtpCallFuture> calls = pending.snapshot();
        pending.clear();
        for (HbtpCallFuture future : calls) {
            recordCall(future, HbtpStatus.UNAVAILABLE);
            future.completeExceptionally(cause);
        }
        if (timeoutTimer != null) {
            timeoutTimer.cancel(false);
            timeoutTimer = null;
        }
    }

    /**
     * What a call that finds this connection closed fails with: the category of the close code the server sent
     * or this client sent for a protocol error, else {@link HbtpErrorCategory#NETWORK}.
     */
    private HbtpErrorCategory closedCategory() {
        if (closeCode < 0 || closeCode == HbtpCloseCode.NORMAL
                || (closeCode == HbtpCloseCode.GOING_AWAY && !serverClosed)) {
            return HbtpErrorCategory.NETWORK; // a keepalive timeout here is a lost connection
        }
        return HbtpErrorCategory.ofCloseCode(closeCode);
    }

    static HbtpProtocolException protocolError(String reason) {
        return new HbtpProtocolException(HbtpCloseCode.PROTOCOL_ERROR, reason);
    }
}
