package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.PromiseCombiner;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * HBTP frames in binary WebSocket messages, between Netty's WebSocket protocol handler and the
 * {@link HbtpFrameCodec}: each message read goes to the codec as bytes, each buffer of whole frames written goes
 * out as one binary message.
 *
 * <p>Every message must carry whole HBTP frames. A text message closes the connection with 1003, a message
 * that ends inside a frame with 1002 (WebSocket 1007: the data does not fit its message), a message over the
 * configured length with 1009; HBTP CLOSE goes first, then the WebSocket close frame with its code. A close of
 * the session sends the WebSocket close frame with the session's code. A WebSocket frame is whole before the
 * codec sees a byte of it, so the codec's frame timeout cannot see a peer that trickles one: here a read that
 * brings no whole message starts the clock, and no whole message within {@code frameTimeout} closes with 1001
 * (the clock stops while reading is off).
 *
 * <p>The HBTP handlers behind it start only once the upgrade is done: a server's are added then, a client's see
 * {@code channelActive} then.
 */
final class WebSocketFrames extends ChannelDuplexHandler {

    /** Whole frames are put together into one message up to this size; a larger frame goes alone. */
    static final int PACK_LIMIT = 64 << 10;

    private final int maxMessageLength;
    private final long frameTimeoutNanos;
    /** Adds the HBTP handlers behind this one on a server; nothing on a client, whose handlers are there. */
    private final Consumer<ChannelHandlerContext> onUpgrade;
    private final boolean holdActive;

    private ChannelHandlerContext ctx;
    private HbtpFrameCodec codec;
    private boolean upgraded;
    private boolean activeHeld;
    private long messageBytes;
    private boolean messageRead;
    private ScheduledFuture<?> messageTimer;
    /** The WebSocket close code of a failure found here; -1 while none was. */
    private int failedWith = -1;
    private boolean closeFrameSent;

    /**
     * @param holdActive whether the handlers behind this one are there from the start (a client's) and must see
     *                   {@code channelActive} only once the upgrade is done
     * @param onUpgrade  runs when the upgrade is done: a server adds its HBTP handlers behind this one
     */
    WebSocketFrames(int maxMessageLength, long frameTimeoutNanos, boolean holdActive,
                    Consumer<ChannelHandlerContext> onUpgrade) {
        this.maxMessageLength = maxMessageLength;
        this.frameTimeoutNanos = frameTimeoutNanos;
        this.holdActive = holdActive;
        this.onUpgrade = onUpgrade;
    }

    /** The largest message an end whose frames are at most {@code maxFrameLength} long must take in. */
    static int messageLimit(int maxFrameLength) {
        return (int) Math.max(PACK_LIMIT, Math.min(Integer.MAX_VALUE - 8, (long) HbtpHeader.SIZE + maxFrameLength));
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** On a client, held back until the upgrade is done: for its HBTP handlers the connection starts then. */
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (holdActive && !upgraded) {
            activeHeld = true;
            return;
        }
        ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (!upgraded && (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete
                || evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE)) {
            upgraded = true;
            onUpgrade.accept(ctx);
            codec = ctx.pipeline().get(HbtpFrameCodec.class);
            if (activeHeld) {
                ctx.fireChannelActive();
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!upgraded || !(msg instanceof WebSocketFrame frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (failedWith >= 0) {
                return;
            }
            if (frame instanceof TextWebSocketFrame) {
                fail(WebSocketCloseStatus.INVALID_MESSAGE_TYPE.code(), HbtpCloseCode.UNSUPPORTED,
                        "text WebSocket message: HBTP travels in binary messages");
                return;
            }
            if (!(frame instanceof BinaryWebSocketFrame) && !(frame instanceof ContinuationWebSocketFrame)) {
                return;
            }
            if (frame instanceof BinaryWebSocketFrame) {
                messageBytes = 0;
            }
            ByteBuf content = frame.content();
            messageBytes += content.readableBytes();
            if (messageBytes > maxMessageLength) {
                fail(WebSocketCloseStatus.MESSAGE_TOO_BIG.code(), HbtpCloseCode.TOO_LARGE,
                        "WebSocket message over " + maxMessageLength + " bytes");
                return;
            }
            if (frame.isFinalFragment()) {
                messageRead = true;
            }
            if (content.isReadable()) {
                ctx.fireChannelRead(content.retain());
            }
            if (frame.isFinalFragment() && codec != null && codec.insideFrame() && failedWith < 0) {
                fail(WebSocketCloseStatus.INVALID_PAYLOAD_DATA.code(), HbtpCloseCode.PROTOCOL_ERROR,
                        "a WebSocket message ends inside an HBTP frame");
            }
        } finally {
            frame.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (upgraded && frameTimeoutNanos > 0 && failedWith < 0) {
            if (messageRead) {
                stopTimer();
            } else if (messageTimer == null) {
                messageTimer = ctx.executor().schedule(this::messageTimedOut, frameTimeoutNanos, TimeUnit.NANOSECONDS);
            }
        }
        messageRead = false;
        ctx.fireChannelReadComplete();
    }

    private void messageTimedOut() {
        messageTimer = null;
        if (failedWith >= 0 || !ctx.channel().isActive()) {
            return;
        }
        if (!ctx.channel().config().isAutoRead()) {
            // This end stopped reading: the peer is not the one who is slow. Look again later.
            messageTimer = ctx.executor().schedule(this::messageTimedOut, frameTimeoutNanos, TimeUnit.NANOSECONDS);
            return;
        }
        fail(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE.code(), HbtpCloseCode.GOING_AWAY, "WebSocket message not "
                + "completed within " + TimeUnit.NANOSECONDS.toMillis(frameTimeoutNanos) + " ms");
    }

    private void stopTimer() {
        if (messageTimer != null) {
            messageTimer.cancel(false);
            messageTimer = null;
        }
    }

    /** The HBTP session sends CLOSE with {@code hbtpCode} and closes; the close frame then carries {@code wsCode}. */
    private void fail(int wsCode, int hbtpCode, String reason) {
        failedWith = wsCode;
        stopTimer();
        ctx.fireExceptionCaught(new HbtpProtocolException(hbtpCode, reason));
    }

    /** WebSocket protocol violations seen by Netty's decoder, which stops decoding after one. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (upgraded && cause instanceof CorruptedWebSocketFrameException e && failedWith < 0) {
            int wsCode = e.closeStatus() != null ? e.closeStatus().code() : WebSocketCloseStatus.PROTOCOL_ERROR.code();
            fail(wsCode, wsCode == WebSocketCloseStatus.MESSAGE_TOO_BIG.code() ? HbtpCloseCode.TOO_LARGE
                    : HbtpCloseCode.PROTOCOL_ERROR, "WebSocket: " + e.getMessage());
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!upgraded || !(msg instanceof ByteBuf frames)) {
            ctx.write(msg, promise);
        } else if (frames.readableBytes() <= PACK_LIMIT) {
            ctx.write(new BinaryWebSocketFrame(frames), promise);
        } else {
            writePacked(ctx, frames, promise);
        }
    }

    /** Whole frames, up to {@link #PACK_LIMIT} a message, a larger frame alone; {@code frames} is released. */
    private static void writePacked(ChannelHandlerContext ctx, ByteBuf frames, ChannelPromise promise) {
        PromiseCombiner all = new PromiseCombiner(ctx.executor());
        try {
            int end = frames.writerIndex();
            int start = frames.readerIndex();
            int at = start;
            while (at < end) {
                int next = end - at < HbtpHeader.SIZE ? end
                        : (int) Math.min(end, at + HbtpHeader.SIZE + frames.getUnsignedIntLE(at + HbtpHeader.LENGTH_OFFSET));
                if (next - start > PACK_LIMIT && at > start) {
                    all.add(ctx.write(new BinaryWebSocketFrame(frames.retainedSlice(start, at - start))));
                    start = at;
                }
                at = next;
            }
            all.add(ctx.write(new BinaryWebSocketFrame(frames.retainedSlice(start, end - start))));
        } finally {
            frames.release();
        }
        all.finish(promise);
    }

    /** The WebSocket close frame goes out right behind the HBTP CLOSE, with the same code (or the failure's). */
    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (upgraded && !closeFrameSent && ctx.channel().isActive()) {
            closeFrameSent = true;
            ctx.writeAndFlush(new CloseWebSocketFrame(closeCode(), ""), ctx.voidPromise());
        }
        ctx.close(promise);
    }

    private int closeCode() {
        if (failedWith >= 0) {
            return failedWith;
        }
        HbtpServerHandler session = ctx.pipeline().get(HbtpServerHandler.class);
        int code = session != null ? session.closeCodeSent() : -1;
        return code >= 0 && WebSocketCloseStatus.isValidStatusCode(code) ? code
                : WebSocketCloseStatus.NORMAL_CLOSURE.code();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stopTimer();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stopTimer();
    }
}
