package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;

/**
 * Collects the replies of one read burst into a single outbound buffer, written and flushed once when the
 * burst ends: one buffer per burst, not per reply, and no separate header buffer per message.
 *
 * <p>The buffer is sized from the largest burst seen so far (at most {@link #MAX_CAPACITY_HINT}), so
 * after warm-up its capacity stays put and no reply makes it grow. One per channel; event loop only.
 */
public final class ResponseBuffer {

    static final int INITIAL_CAPACITY = 512;
    /** Bursts larger than this still work; the hint just stops following them. */
    static final int MAX_CAPACITY_HINT = 256 * 1024;

    private final ByteBufAllocator alloc;
    private final int peerMaxFrameLength;
    private final int compressionThreshold;
    private int capacityHint = INITIAL_CAPACITY;
    private ByteBuf pending;

    /**
     * @param alloc              allocator of the channel
     * @param peerMaxFrameLength largest frame the peer accepts; longer replies are split into fragments
     */
    public ResponseBuffer(ByteBufAllocator alloc, int peerMaxFrameLength) {
        this(alloc, peerMaxFrameLength, 0);
    }

    /**
     * @param compressionThreshold responses and messages at least this large are zstd-compressed when that
     *                             makes them smaller; 0 never compresses (the peer did not agree to ZSTD)
     */
    public ResponseBuffer(ByteBufAllocator alloc, int peerMaxFrameLength, int compressionThreshold) {
        this.alloc = alloc;
        this.peerMaxFrameLength = peerMaxFrameLength;
        this.compressionThreshold = compressionThreshold;
    }

    /** PONG with the sequence and bytes of the PING (not consumed). */
    public void writePong(int sequence, ByteBuf pingPayload) {
        HbtpWire.writeMessage(buffer(), HbtpOpcode.PONG, HbtpFlags.FINAL, sequence, pingPayload,
                peerMaxFrameLength);
    }

    /** RPC_RESPONSE carrying {@code body} (not consumed), compressed when agreed and worth it. */
    public void writeRpcResponse(int sequence, ByteBuf body) {
        ByteBuf compressed = compressionThreshold > 0
                ? HbtpCompression.compress(alloc, body, compressionThreshold) : null;
        if (compressed == null) {
            HbtpWire.writeMessage(buffer(), HbtpOpcode.RPC_RESPONSE, HbtpFlags.FINAL, sequence, body,
                    peerMaxFrameLength);
            return;
        }
        try {
            HbtpWire.writeMessage(buffer(), HbtpOpcode.RPC_RESPONSE, HbtpFlags.FINAL | HbtpFlags.COMPRESSED,
                    sequence, compressed, peerMaxFrameLength);
        } finally {
            compressed.release();
        }
    }

    /** RPC_ERROR with a status of {@link HbtpStatus} and a message cut to {@value HbtpWire#MAX_REASON_BYTES} bytes of UTF-8. */
    public void writeRpcError(int sequence, int status, String message) {
        ByteBuf out = buffer();
        byte[] text = message == null ? new byte[0] : message.getBytes(StandardCharsets.UTF_8);
        int textLength = Math.min(text.length, HbtpWire.MAX_REASON_BYTES);
        HbtpHeader.write(out, HbtpOpcode.RPC_ERROR.code(), HbtpFlags.FINAL, sequence, 2 + textLength);
        out.writeShortLE(status);
        out.writeBytes(text, 0, textLength);
    }

    /** Any message with a {@code u16} prefix (topic, event) and a body (not consumed). */
    public void writeMessage(HbtpOpcode opcode, int sequence, int u16Prefix, ByteBuf body) {
        HbtpWire.writeMessage(buffer(), opcode, HbtpFlags.FINAL, sequence, u16Prefix, body, peerMaxFrameLength);
    }

    /** Whether replies are waiting for {@link #take()}. */
    public boolean hasPending() {
        return pending != null && pending.isReadable();
    }

    /**
     * Hands over the collected replies (for the caller to write) and starts afresh; {@code null} when
     * there are none.
     */
    public ByteBuf take() {
        ByteBuf out = pending;
        pending = null;
        if (out != null && !out.isReadable()) {
            out.release();
            return null;
        }
        if (out != null) {
            capacityHint = Math.min(MAX_CAPACITY_HINT, Math.max(capacityHint, out.readableBytes()));
        }
        return out;
    }

    /** Drops anything collected and not taken. */
    public void reset() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }

    /** The capacity the next burst's buffer starts with. */
    public int capacity() {
        return capacityHint;
    }

    /** The buffer replies are appended to, for messages the methods above do not cover. */
    ByteBuf buffer() {
        if (pending == null) {
            pending = alloc.ioBuffer(capacityHint);
        }
        return pending;
    }
}
