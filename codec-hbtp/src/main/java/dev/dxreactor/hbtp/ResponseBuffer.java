package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

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
    private final HbtpZstdDictionary dictionary;
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
        this(alloc, peerMaxFrameLength, compressionThreshold, null);
    }

    /**
     * @param peerMaxFrameLength largest frame payload to write; when frames are sealed, the peer's limit less
     *                           the 16-byte tag
     * @param dictionary         the zstd dictionary both ends use, or {@code null}
     */
    public ResponseBuffer(ByteBufAllocator alloc, int peerMaxFrameLength, int compressionThreshold,
                          HbtpZstdDictionary dictionary) {
        this.alloc = alloc;
        this.peerMaxFrameLength = peerMaxFrameLength;
        this.compressionThreshold = compressionThreshold;
        this.dictionary = dictionary;
    }

    /** Largest frame payload written; longer messages are split. */
    public int frameLimit() {
        return peerMaxFrameLength;
    }

    /** PONG with the sequence and bytes of the PING (not consumed). */
    public void writePong(int sequence, ByteBuf pingPayload) {
        HbtpWire.writeMessage(buffer(), HbtpOpcode.PONG, HbtpFlags.FINAL, sequence, pingPayload,
                peerMaxFrameLength);
    }

    /** RPC_RESPONSE carrying {@code body} (not consumed), compressed when agreed and worth it. */
    public void writeRpcResponse(int sequence, ByteBuf body) {
        ByteBuf compressed = compress(body);
        if (compressed == null) {
            HbtpWire.writeMessage(buffer(), HbtpOpcode.RPC_RESPONSE, HbtpFlags.FINAL, sequence, body,
                    peerMaxFrameLength);
            return;
        }
        writeCompressed(HbtpOpcode.RPC_RESPONSE, 0, sequence, compressed);
    }

    /**
     * RPC_RESPONSE whose body starts with {@code metadata} (METADATA flag) when it is not empty, then
     * {@code body} (not consumed); compressed as a whole when agreed and worth it.
     */
    public void writeRpcResponse(int sequence, HbtpMetadata metadata, ByteBuf body) {
        if (metadata.isEmpty()) {
            writeRpcResponse(sequence, body);
            return;
        }
        ByteBuf prefix = alloc.heapBuffer(metadata.encodedSize());
        try {
            metadata.write(prefix);
            writeMessage(HbtpOpcode.RPC_RESPONSE, HbtpFlags.METADATA, sequence, prefix, body);
        } finally {
            prefix.release();
        }
    }

    /** RPC_ERROR with a status of {@link HbtpStatus} and a message cut to {@value HbtpWire#MAX_REASON_BYTES} bytes of UTF-8. */
    public void writeRpcError(int sequence, int status, String message) {
        writeRpcError(sequence, HbtpMetadata.empty(), status, message);
    }

    /** RPC_ERROR whose body starts with {@code metadata} (METADATA flag) when it is not empty. */
    public void writeRpcError(int sequence, HbtpMetadata metadata, int status, String message) {
        byte[] text = message == null ? new byte[0] : message.getBytes(StandardCharsets.UTF_8);
        ByteBuf reason = Unpooled.wrappedBuffer(text, 0, Math.min(text.length, HbtpWire.MAX_REASON_BYTES));
        if (metadata.isEmpty()) {
            HbtpWire.writeMessage(buffer(), HbtpOpcode.RPC_ERROR, HbtpFlags.FINAL, sequence, status, reason,
                    peerMaxFrameLength);
            return;
        }
        ByteBuf prefix = alloc.heapBuffer(metadata.encodedSize() + 2);
        try {
            metadata.write(prefix);
            prefix.writeShortLE(status);
            HbtpWire.writeMessage(buffer(), HbtpOpcode.RPC_ERROR, HbtpFlags.FINAL | HbtpFlags.METADATA, sequence,
                    prefix, reason, peerMaxFrameLength);
        } finally {
            prefix.release();
        }
    }

    /** Any message with a {@code u16} prefix (event) and a body (not consumed), compressed when worth it. */
    public void writeMessage(HbtpOpcode opcode, int sequence, int u16Prefix, ByteBuf body) {
        if (worthCompressing(2 + body.readableBytes())) {
            ByteBuf whole = alloc.directBuffer(2 + body.readableBytes());
            try {
                whole.writeShortLE(u16Prefix).writeBytes(body, body.readerIndex(), body.readableBytes());
                if (writeCompressed(opcode, 0, sequence, compress(whole))) {
                    return;
                }
            } finally {
                whole.release();
            }
        }
        HbtpWire.writeMessage(buffer(), opcode, HbtpFlags.FINAL, sequence, u16Prefix, body, peerMaxFrameLength);
    }

    /** Any message whose payload is {@code prefix} then {@code body} (topics; neither consumed), compressed when worth it. */
    public void writeMessage(HbtpOpcode opcode, int sequence, ByteBuf prefix, ByteBuf body) {
        writeMessage(opcode, 0, sequence, prefix, body);
    }

    private void writeMessage(HbtpOpcode opcode, int flags, int sequence, ByteBuf prefix, ByteBuf body) {
        int length = prefix.readableBytes() + body.readableBytes();
        if (worthCompressing(length)) {
            ByteBuf whole = alloc.directBuffer(length);
            try {
                whole.writeBytes(prefix, prefix.readerIndex(), prefix.readableBytes())
                        .writeBytes(body, body.readerIndex(), body.readableBytes());
                if (writeCompressed(opcode, flags, sequence, compress(whole))) {
                    return;
                }
            } finally {
                whole.release();
            }
        }
        HbtpWire.writeMessage(buffer(), opcode, flags | HbtpFlags.FINAL, sequence, prefix, body, peerMaxFrameLength);
    }

    private boolean worthCompressing(int length) {
        return compressionThreshold > 0 && length >= compressionThreshold;
    }

    private ByteBuf compress(ByteBuf body) {
        return worthCompressing(body.readableBytes())
                ? HbtpCompression.compress(alloc, body, compressionThreshold, dictionary) : null;
    }

    /** Writes and releases {@code compressed}; false, writing nothing, when it is {@code null}. */
    private boolean writeCompressed(HbtpOpcode opcode, int flags, int sequence, ByteBuf compressed) {
        if (compressed == null) {
            return false;
        }
        try {
            HbtpWire.writeMessage(buffer(), opcode, flags | HbtpFlags.FINAL | HbtpFlags.COMPRESSED, sequence, compressed,
                    peerMaxFrameLength);
            return true;
        } finally {
            compressed.release();
        }
    }

    /** Bytes of the replies waiting for {@link #take()}. */
    public int pendingBytes() {
        return pending == null ? 0 : pending.readableBytes();
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
