package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.ByteToMessageCodec;

import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Turns bytes into {@link HbtpFrame}s and back.
 *
 * <p>Decoding checks every header before it reads or allocates anything for the payload: reserved flag
 * bits (1002), unknown opcode (1003), length over the maximum frame length (1009). The payload of a frame
 * is a retained slice of the bytes read, not a copy. Fragments (FINAL clear) are reassembled into a
 * composite buffer of at most {@code maxMessageLength} bytes and {@code maxFragments} pieces; a fragment
 * whose opcode, sequence or flags differ from the first closes the connection with 1002.
 *
 * <p>A violation raises {@link HbtpProtocolException} (for the session handler to send CLOSE and close)
 * and the codec then discards everything else the connection sends.
 *
 * <p>Encoding writes each frame as it is: header and payload in one buffer. Splitting a large message
 * into frames is the sender's job ({@link HbtpWire#writeMessage}). Buffers written through the codec must
 * hold whole frames; they pass unchanged until encryption starts.
 *
 * <p>After {@link #startEncryption} every frame is sealed on the way out (buffers of frames too, frame by
 * frame) and opened on the way in, each frame before reassembly, as the spec orders. A frame that does not
 * authenticate, a plaintext frame, and an ENCRYPTED frame before encryption started all close with 1008;
 * nothing of such a frame is passed on.
 *
 * <p>HELLO and HELLO_ACK must be one frame with flags FINAL and nothing else (1002 otherwise), and the codec
 * stops decoding after one: Netty hands it to the next handler before it decodes again, so the session
 * starts encryption before a byte behind the handshake is interpreted, whatever the read boundaries. A
 * handler placed between this codec and the session must pass HELLO and HELLO_ACK on at once.
 */
public final class HbtpFrameCodec extends ByteToMessageCodec<HbtpFrame> {

    /** Defaults of the spec. */
    public static final int DEFAULT_MAX_FRAME_LENGTH = 1 << 20;
    public static final int DEFAULT_MAX_MESSAGE_LENGTH = 16 << 20;
    /**
     * Pieces one message may arrive in. The spec sets no bound; without one, a peer sending one-byte
     * fragments makes the receiver hold millions of buffer components for one message.
     */
    public static final int DEFAULT_MAX_FRAGMENTS = 1024;

    private final int maxFrameLength;
    private final int maxMessageLength;
    private final int maxFragments;
    private final long frameTimeoutNanos;
    /** Runs while a frame or fragmented message has started and not ended; {@code null} otherwise. */
    private ScheduledFuture<?> frameTimer;
    /** Bytes of a frame not yet whole, as the last decode left them. */
    private int unfinishedBytes;

    private CompositeByteBuf fragments;
    private HbtpOpcode fragmentOpcode;
    private int fragmentFlags;
    private int fragmentSequence;
    private boolean failed;
    private HbtpFrameCipher opener;
    private HbtpFrameCipher sealer;

    public HbtpFrameCodec() {
        this(DEFAULT_MAX_FRAME_LENGTH, DEFAULT_MAX_MESSAGE_LENGTH, DEFAULT_MAX_FRAGMENTS);
    }

    /**
     * @param maxFrameLength   largest payload of one frame accepted
     * @param maxMessageLength largest reassembled message accepted
     * @param maxFragments     most frames one message may arrive in
     */
    public HbtpFrameCodec(int maxFrameLength, int maxMessageLength, int maxFragments) {
        this(maxFrameLength, maxMessageLength, maxFragments, Duration.ZERO);
    }

    /**
     * @param maxFrameLength   largest payload of one frame accepted
     * @param maxMessageLength largest reassembled message accepted
     * @param maxFragments     most frames one message may arrive in
     * @param frameTimeout     how long a frame, or a message in fragments, may take to arrive once started
     *                         (the clock stops while reading is off); {@link Duration#ZERO} for no limit.
     *                         When it passes, an {@link HbtpProtocolException} with 1001 goes to
     *                         {@code exceptionCaught} and the codec discards what the peer sends after it.
     */
    public HbtpFrameCodec(int maxFrameLength, int maxMessageLength, int maxFragments, Duration frameTimeout) {
        if (maxFrameLength < 1 || maxMessageLength < maxFrameLength || maxFragments < 1 || frameTimeout == null
                || frameTimeout.isNegative()) {
            throw new IllegalArgumentException("need 1 <= maxFrameLength (" + maxFrameLength
                    + ") <= maxMessageLength (" + maxMessageLength + "), maxFragments (" + maxFragments
                    + ") >= 1 and a frameTimeout (" + frameTimeout + ") of zero or more");
        }
        this.maxFrameLength = maxFrameLength;
        this.maxMessageLength = maxMessageLength;
        this.maxFragments = maxFragments;
        this.frameTimeoutNanos = frameTimeout.toNanos();
    }

    public int maxFrameLength() {
        return maxFrameLength;
    }

    public int maxMessageLength() {
        return maxMessageLength;
    }

    /**
     * Seals every frame written from now on and opens every frame read from now on with {@code keys}. Call
     * it on the channel's event loop, right after the handshake frame that agreed on encryption was written
     * (server) or read (client).
     *
     * @throws IllegalStateException when encryption has already started
     */
    public void startEncryption(HbtpSessionKeys keys) {
        startEncryption(keys.newOpener(), keys.newSealer());
    }

    void startEncryption(HbtpFrameCipher opener, HbtpFrameCipher sealer) {
        if (this.opener != null) {
            throw new IllegalStateException("encryption has already started");
        }
        this.opener = opener;
        this.sealer = sealer;
    }

    /** Whether the bytes read so far end inside a frame (a message in fragments between its frames does not). */
    boolean insideFrame() {
        return unfinishedBytes > 0;
    }

    /** Whether frames are sealed and opened. */
    public boolean isEncrypting() {
        return opener != null;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, HbtpFrame frame, ByteBuf out) {
        ByteBuf payload = frame.payload();
        if (sealer != null) {
            sealer.sealInto(out, frame.opcode().code(), frame.flags(), frame.sequence(), payload,
                    payload.readerIndex(), payload.readableBytes());
            return;
        }
        HbtpHeader.write(out, frame.opcode().code(), frame.flags(), frame.sequence(), payload.readableBytes());
        out.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
    }

    /**
     * Encodes frames into a buffer of exactly their size; buffers of whole frames pass through, or are
     * sealed frame by frame once encryption has started; anything else passes through.
     */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        ByteBuf out;
        try {
            if (msg instanceof HbtpFrame frame) {
                out = encodeFrame(ctx, frame);
            } else if (msg instanceof ByteBuf frames && sealer != null) {
                out = sealFrames(ctx, frames);
            } else {
                ctx.write(msg, promise);
                return;
            }
        } catch (HbtpProtocolException e) {
            // This direction has no nonces left: nothing more can be sent, not even a CLOSE.
            promise.tryFailure(e);
            ctx.close();
            return;
        }
        ctx.write(out, promise);
    }

    private ByteBuf encodeFrame(ChannelHandlerContext ctx, HbtpFrame frame) {
        try {
            int overhead = sealer != null ? HbtpHeader.SIZE + HbtpFrameCipher.TAG_SIZE : HbtpHeader.SIZE;
            ByteBuf out = ctx.alloc().ioBuffer(overhead + frame.payload().readableBytes());
            try {
                encode(ctx, frame, out);
                return out;
            } catch (RuntimeException e) {
                out.release();
                throw e;
            }
        } finally {
            frame.release();
        }
    }

    /** One buffer holding every frame of {@code frames} (released here) sealed, in order. */
    private ByteBuf sealFrames(ChannelHandlerContext ctx, ByteBuf frames) {
        try {
            int start = frames.readerIndex();
            int end = frames.writerIndex();
            int count = 0;
            for (int at = start; at < end; at = nextFrame(frames, at, end)) {
                count++;
            }
            ByteBuf out = ctx.alloc().ioBuffer(end - start + count * HbtpFrameCipher.TAG_SIZE);
            try {
                for (int at = start; at < end; at = nextFrame(frames, at, end)) {
                    long header = frames.getLongLE(at);
                    sealer.sealInto(out, (int) header & 0xFF, (int) (header >>> 8) & 0xFF,
                            (int) (header >>> 16) & 0xFFFF, frames, at + HbtpHeader.SIZE, (int) (header >>> 32));
                }
                return out;
            } catch (RuntimeException e) {
                out.release();
                throw e;
            }
        } finally {
            frames.release();
        }
    }

    private static int nextFrame(ByteBuf frames, int at, int end) {
        if (end - at < HbtpHeader.SIZE) {
            throw new IllegalStateException("a buffer written to an encrypting HBTP codec ends inside a frame header");
        }
        long next = at + HbtpHeader.SIZE + frames.getUnsignedIntLE(at + HbtpHeader.LENGTH_OFFSET);
        if (next > end) {
            throw new IllegalStateException("a buffer written to an encrypting HBTP codec ends inside a frame");
        }
        return (int) next;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            decodeFrames(ctx, in, out);
        } finally {
            unfinishedBytes = in.readableBytes();
        }
    }

    private void decodeFrames(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.readableBytes() >= HbtpHeader.SIZE) {
            // One 8-byte little-endian read instead of four field reads: a single bounds check per frame.
            long header = in.getLongLE(in.readerIndex());
            int code = (int) header & 0xFF;
            int flags = (int) (header >>> 8) & 0xFF;
            int sequence = (int) (header >>> 16) & 0xFFFF;
            long length = header >>> 32;

            if ((flags & HbtpFlags.RESERVED_MASK) != 0) {
                fail(in, HbtpCloseCode.PROTOCOL_ERROR,
                        String.format("reserved flag bits 0x%02x set", flags & HbtpFlags.RESERVED_MASK));
            }
            HbtpOpcode opcode = HbtpOpcode.of(code);
            if (opcode == null) {
                fail(in, HbtpCloseCode.UNSUPPORTED, String.format("unknown opcode 0x%02x", code));
            }
            boolean handshake = opcode == HbtpOpcode.HELLO || opcode == HbtpOpcode.HELLO_ACK;
            if (handshake && flags != HbtpFlags.FINAL) {
                // Never fragmented, compressed or encrypted: the frame after it must be decoded only once the
                // session has applied it, and a handshake spread over frames would leave frames behind it
                // decoded under the old state.
                fail(in, HbtpCloseCode.PROTOCOL_ERROR, opcode + " must be one frame with flags FINAL only, not "
                        + HbtpFlags.toString(flags));
            }
            if (length > maxFrameLength) {
                fail(in, HbtpCloseCode.TOO_LARGE,
                        "frame length " + length + " exceeds the maximum of " + maxFrameLength);
            }
            boolean encrypted = (flags & HbtpFlags.ENCRYPTED) != 0;
            if (encrypted != (opener != null)) {
                fail(in, HbtpCloseCode.POLICY, encrypted ? "ENCRYPTED frame, but encryption was not agreed"
                        : "plaintext " + opcode + " frame after encryption was agreed");
            }
            if (encrypted && length < HbtpFrameCipher.TAG_SIZE) {
                fail(in, HbtpCloseCode.POLICY, "decryption failed");
            }
            if (fragments != null) {
                checkContinuation(in, opcode, flags, sequence, encrypted ? length - HbtpFrameCipher.TAG_SIZE : length);
            }
            if (in.readableBytes() - HbtpHeader.SIZE < length) {
                return;
            }

            in.skipBytes(HbtpHeader.SIZE);
            ByteBuf payload = in.readRetainedSlice((int) length);
            if (encrypted) {
                payload = open(ctx, in, code, flags, sequence, payload);
            }
            boolean last = (flags & HbtpFlags.FINAL) != 0;
            int plainFlags = flags & ~HbtpFlags.ENCRYPTED;
            if (fragments == null) {
                if (last) {
                    out.add(new HbtpFrame(opcode, plainFlags, sequence, payload));
                    if (handshake) {
                        return;
                    }
                } else {
                    startMessage(ctx, opcode, flags, sequence, payload);
                }
            } else {
                fragments.addComponent(true, payload);
                if (last) {
                    out.add(new HbtpFrame(fragmentOpcode, (fragmentFlags & ~HbtpFlags.ENCRYPTED) | HbtpFlags.FINAL,
                            fragmentSequence, fragments));
                    fragments = null;
                }
            }
        }
    }

    /**
     * After each read: a frame or message left unfinished starts the clock (once; bytes trickling in do not
     * restart it), nothing left unfinished stops it.
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        if (frameTimeoutNanos > 0 && !failed) {
            boolean unfinished = unfinishedBytes > 0 || fragments != null;
            if (unfinished && frameTimer == null) {
                frameTimer = ctx.executor().schedule(() -> frameTimedOut(ctx), frameTimeoutNanos,
                        TimeUnit.NANOSECONDS);
            } else if (!unfinished) {
                stopFrameTimer();
            }
        }
        super.channelReadComplete(ctx);
    }

    private void frameTimedOut(ChannelHandlerContext ctx) {
        frameTimer = null;
        if (failed || !(unfinishedBytes > 0 || fragments != null)) {
            return;
        }
        if (!ctx.channel().config().isAutoRead()) {
            // This end stopped reading (backpressure): the peer is not the one who is slow. Look again later.
            frameTimer = ctx.executor().schedule(() -> frameTimedOut(ctx), frameTimeoutNanos, TimeUnit.NANOSECONDS);
            return;
        }
        failed = true;
        releaseFragments();
        ctx.fireExceptionCaught(new HbtpProtocolException(HbtpCloseCode.GOING_AWAY, "frame not completed within "
                + TimeUnit.NANOSECONDS.toMillis(frameTimeoutNanos) + " ms"));
    }

    private void stopFrameTimer() {
        if (frameTimer != null) {
            frameTimer.cancel(false);
            frameTimer = null;
        }
    }

    /** The plaintext of one sealed frame; the ciphertext slice is released either way. */
    private ByteBuf open(ChannelHandlerContext ctx, ByteBuf in, int code, int flags, int sequence, ByteBuf sealed) {
        try {
            return opener.open(ctx.alloc(), code, flags, sequence, sealed);
        } catch (HbtpProtocolException e) {
            fail(in, e.closeCode(), e.reason());
            throw e;
        } finally {
            sealed.release();
        }
    }

    private void startMessage(ChannelHandlerContext ctx, HbtpOpcode opcode, int flags, int sequence,
                              ByteBuf payload) {
        // One more component than fragments allowed, so the composite never consolidates (copies).
        fragments = ctx.alloc().compositeBuffer(maxFragments + 1);
        fragments.addComponent(true, payload);
        fragmentOpcode = opcode;
        fragmentFlags = flags;
        fragmentSequence = sequence;
    }

    private void checkContinuation(ByteBuf in, HbtpOpcode opcode, int flags, int sequence, long length) {
        if (opcode != fragmentOpcode || sequence != fragmentSequence) {
            fail(in, HbtpCloseCode.PROTOCOL_ERROR, "frame " + opcode + " seq " + sequence
                    + " interrupts the fragmented " + fragmentOpcode + " seq " + fragmentSequence);
        }
        if ((flags & ~HbtpFlags.FINAL) != (fragmentFlags & ~HbtpFlags.FINAL)) {
            fail(in, HbtpCloseCode.PROTOCOL_ERROR, "fragment flags " + HbtpFlags.toString(flags)
                    + " differ from the first fragment's " + HbtpFlags.toString(fragmentFlags));
        }
        if (fragments.readableBytes() + length > maxMessageLength) {
            fail(in, HbtpCloseCode.TOO_LARGE,
                    "message exceeds the maximum length of " + maxMessageLength + " bytes");
        }
        if (fragments.numComponents() >= maxFragments) {
            fail(in, HbtpCloseCode.TOO_LARGE, "message arrives in more than " + maxFragments + " fragments");
        }
    }

    private void fail(ByteBuf in, int closeCode, String reason) {
        failed = true;
        releaseFragments();
        in.skipBytes(in.readableBytes());
        throw new HbtpProtocolException(closeCode, reason);
    }

    /** The stream ended: bytes of an unfinished frame or message are an error, not something to wait for. */
    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        boolean unfinishedMessage = fragments != null;
        releaseFragments();
        if (!failed && (in.isReadable() || unfinishedMessage)) {
            int left = in.readableBytes();
            in.skipBytes(left);
            failed = true;
            throw new HbtpProtocolException(HbtpCloseCode.PROTOCOL_ERROR, "stream ended inside a "
                    + (left > 0 ? "frame (" + left + " bytes left)" : "fragmented message"));
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) throws Exception {
        super.handlerRemoved(ctx);
        stopFrameTimer();
        releaseFragments();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stopFrameTimer();
        super.channelInactive(ctx);
    }

    private void releaseFragments() {
        if (fragments != null) {
            fragments.release();
            fragments = null;
        }
    }
}
