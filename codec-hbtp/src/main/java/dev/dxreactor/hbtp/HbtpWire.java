package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;

/**
 * Writes whole messages as frames: one frame when the message fits the peer's maximum frame length,
 * otherwise as many as needed with FINAL on the last only. Every frame of a message goes into the same
 * buffer, so no other frame can land between them on the wire.
 */
public final class HbtpWire {

    private HbtpWire() {
    }

    /**
     * Appends {@code message} (its readable bytes, which are not consumed) as one or more frames.
     *
     * @param flags          flags of the message; FINAL is managed here
     * @param maxFrameLength the peer's maximum frame length
     */
    public static void writeMessage(ByteBuf out, HbtpOpcode opcode, int flags, int sequence, ByteBuf message,
                                    int maxFrameLength) {
        int remaining = message.readableBytes();
        int at = message.readerIndex();
        int frames = Math.max(1, (remaining + maxFrameLength - 1) / maxFrameLength);
        out.ensureWritable(remaining + frames * HbtpHeader.SIZE);
        int baseFlags = flags & ~HbtpFlags.FINAL;
        do {
            int chunk = Math.min(remaining, maxFrameLength);
            remaining -= chunk;
            HbtpHeader.write(out, opcode.code(), remaining == 0 ? baseFlags | HbtpFlags.FINAL : baseFlags,
                    sequence, chunk);
            append(out, message, at, chunk);
            at += chunk;
        } while (remaining > 0);
    }

    /**
     * Appends a message whose payload is a {@code u16} prefix (route, topic, event or status) and a body.
     * The common case, a message that fits in one frame, is written without an intermediate buffer.
     */
    public static void writeMessage(ByteBuf out, HbtpOpcode opcode, int flags, int sequence, int u16Prefix,
                                    ByteBuf body, int maxFrameLength) {
        int length = 2 + body.readableBytes();
        if (length <= maxFrameLength) {
            out.ensureWritable(HbtpHeader.SIZE + length);
            HbtpHeader.write(out, opcode.code(), flags | HbtpFlags.FINAL, sequence, length);
            out.writeShortLE(u16Prefix);
            append(out, body, body.readerIndex(), body.readableBytes());
            return;
        }
        ByteBuf whole = out.alloc().buffer(length);
        try {
            whole.writeShortLE(u16Prefix);
            append(whole, body, body.readerIndex(), body.readableBytes());
            writeMessage(out, opcode, flags, sequence, whole, maxFrameLength);
        } finally {
            whole.release();
        }
    }

    /**
     * Appends a message whose payload is {@code prefix} followed by {@code body} (neither consumed).
     */
    public static void writeMessage(ByteBuf out, HbtpOpcode opcode, int flags, int sequence, ByteBuf prefix,
                                    ByteBuf body, int maxFrameLength) {
        int length = prefix.readableBytes() + body.readableBytes();
        if (length <= maxFrameLength) {
            out.ensureWritable(HbtpHeader.SIZE + length);
            HbtpHeader.write(out, opcode.code(), flags | HbtpFlags.FINAL, sequence, length);
            append(out, prefix, prefix.readerIndex(), prefix.readableBytes());
            append(out, body, body.readerIndex(), body.readableBytes());
            return;
        }
        ByteBuf whole = out.alloc().buffer(length);
        try {
            append(whole, prefix, prefix.readerIndex(), prefix.readableBytes());
            append(whole, body, body.readerIndex(), body.readableBytes());
            writeMessage(out, opcode, flags, sequence, whole, maxFrameLength);
        } finally {
            whole.release();
        }
    }

    /**
     * Appends {@code length} bytes of {@code src} from {@code index}, copied by {@code src} itself: a
     * read-only buffer (a cached response body, say) hides its array from {@code out.writeBytes(src)}, which
     * then copies through NIO views made for each copy, while {@code src.getBytes} reads its own memory.
     */
    private static void append(ByteBuf out, ByteBuf src, int index, int length) {
        out.ensureWritable(length);
        int at = out.writerIndex();
        if (length < COPY_BY_LONGS_BELOW) {
            copyByLongs(src, index, out, at, length);
        } else {
            src.getBytes(index, out, at, length);
        }
        out.writerIndex(at + length);
    }

    /**
     * Bodies shorter than this are copied eight bytes at a time. Without {@code sun.misc.Unsafe} (the default
     * on JDK 25) a bulk copy between direct buffers makes a NIO view per copy: for a typical small answer
     * that was most of what the server allocated per call.
     */
    static final int COPY_BY_LONGS_BELOW = 256;

    private static void copyByLongs(ByteBuf src, int from, ByteBuf dst, int to, int length) {
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
            dst.setLongLE(to + i, src.getLongLE(from + i));
        }
        for (; i < length; i++) {
            dst.setByte(to + i, src.getByte(from + i));
        }
    }

    /** Reasons and error messages are for people; longer ones are cut so they always fit one frame. */
    static final int MAX_REASON_BYTES = 1024;
    /** The spec's limit on a PING body; a larger PING closes the connection at either end (1002). */
    static final int MAX_PING_PAYLOAD = 64;

    /** A CLOSE frame with a code and a UTF-8 reason cut to {@value #MAX_REASON_BYTES} bytes. */
    public static ByteBuf close(ByteBufAllocator alloc, int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        int textLength = Math.min(text.length, MAX_REASON_BYTES);
        ByteBuf out = alloc.ioBuffer(HbtpHeader.SIZE + 2 + textLength);
        HbtpHeader.write(out, HbtpOpcode.CLOSE.code(), HbtpFlags.FINAL, 0, 2 + textLength);
        return out.writeShortLE(code).writeBytes(text, 0, textLength);
    }

    /** A keepalive PING carrying the sender's {@link System#nanoTime()}, so a PONG can be timed. */
    public static ByteBuf ping(ByteBufAllocator alloc, int sequence) {
        ByteBuf out = alloc.ioBuffer(HbtpHeader.SIZE + 8);
        HbtpHeader.write(out, HbtpOpcode.PING.code(), HbtpFlags.FINAL, sequence, 8);
        return out.writeLongLE(System.nanoTime());
    }
}
