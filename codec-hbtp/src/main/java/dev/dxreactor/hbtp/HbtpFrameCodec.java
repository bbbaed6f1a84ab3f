package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.ByteToMessageCodec;

import java.util.List;

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
 * into frames is the sender's job ({@link HbtpWire#writeMessage}).
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

    private CompositeByteBuf fragments;
    private HbtpOpcode fragmentOpcode;
    private int fragmentFlags;
    private int fragmentSequence;
    private boolean failed;

    public HbtpFrameCodec() {
        this(DEFAULT_MAX_FRAME_LENGTH, DEFAULT_MAX_MESSAGE_LENGTH, DEFAULT_MAX_FRAGMENTS);
    }

    /**
     * @param maxFrameLength   largest payload of one frame accepted
     * @param maxMessageLength largest reassembled message accepted
     * @param maxFragments     most frames one message may arrive in
     */
    public HbtpFrameCodec(int maxFrameLength, int maxMessageLength, int maxFragments) {
        if (maxFrameLength < 1 || maxMessageLength < maxFrameLength || maxFragments < 1) {
            throw new IllegalArgumentException("need 1 <= maxFrameLength (" + maxFrameLength
                    + ") <= maxMessageLength (" + maxMessageLength + ") and maxFragments (" + maxFragments
                    + ") >= 1");
        }
        this.maxFrameLength = maxFrameLength;
        this.maxMessageLength = maxMessageLength;
        this.maxFragments = maxFragments;
    }

    public int maxFrameLength() {
        return maxFrameLength;
    }

    public int maxMessageLength() {
        return maxMessageLength;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, HbtpFrame frame, ByteBuf out) {
        ByteBuf payload = frame.payload();
        HbtpHeader.write(out, frame.opcode().code(), frame.flags(), frame.sequence(), payload.readableBytes());
        out.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
    }

    /** Encodes frames into a buffer of exactly their size; anything else passes through. */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (!(msg instanceof HbtpFrame frame)) {
            ctx.write(msg, promise);
            return;
        }
        ByteBuf out;
        try {
            out = ctx.alloc().ioBuffer(HbtpHeader.SIZE + frame.payload().readableBytes());
            try {
                encode(ctx, frame, out);
            } catch (RuntimeException e) {
                out.release();
                throw e;
            }
        } finally {
            frame.release();
        }
        ctx.write(out, promise);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
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
            if (length > maxFrameLength) {
                fail(in, HbtpCloseCode.TOO_LARGE,
                        "frame length " + length + " exceeds the maximum of " + maxFrameLength);
            }
            if (fragments != null) {
                checkContinuation(in, opcode, flags, sequence, length);
            }
            if (in.readableBytes() - HbtpHeader.SIZE < length) {
                return;
            }

            in.skipBytes(HbtpHeader.SIZE);
            ByteBuf payload = in.readRetainedSlice((int) length);
            boolean last = (flags & HbtpFlags.FINAL) != 0;
            if (fragments == null) {
                if (last) {
                    out.add(new HbtpFrame(opcode, flags, sequence, payload));
                } else {
                    startMessage(ctx, opcode, flags, sequence, payload);
                }
            } else {
                fragments.addComponent(true, payload);
                if (last) {
                    out.add(new HbtpFrame(fragmentOpcode, fragmentFlags | HbtpFlags.FINAL, fragmentSequence,
                            fragments));
                    fragments = null;
                }
            }
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
        releaseFragments();
    }

    private void releaseFragments() {
        if (fragments != null) {
            fragments.release();
            fragments = null;
        }
    }
}
