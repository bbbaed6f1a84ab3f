package dev.dxreactor.hbtp.cli;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * The request body of {@code hbtp bench}, written straight into each call's buffer, and the check of an
 * echoed answer against it. A generated body of at least 8 bytes starts with the call's own number, so an
 * answer delivered to the wrong call is caught too; a body given by the user is sent as it is.
 */
final class BenchPayload {

    private final byte[] bytes;
    private final boolean numbered;
    /** {@link #bytes} as a buffer to compare answers with; heap memory, only read, so shared by every loop. */
    private final ByteBuf expected;

    private BenchPayload(byte[] bytes, boolean numbered) {
        this.bytes = bytes;
        this.numbered = numbered;
        this.expected = Unpooled.wrappedBuffer(bytes);
    }

    /** {@code size} bytes of a fixed pattern, numbered per call when there is room for the number. */
    static BenchPayload generated(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31 + 7);
        }
        return new BenchPayload(bytes, size >= Long.BYTES);
    }

    /** The user's body, the same for every call. */
    static BenchPayload fixed(byte[] bytes) {
        return new BenchPayload(bytes.clone(), false);
    }

    int size() {
        return bytes.length;
    }

    /** Writes the body of call {@code number} at the writer index of {@code out}. */
    void write(ByteBuf out, long number) {
        if (numbered) {
            out.writeLongLE(number);
            out.writeBytes(bytes, Long.BYTES, bytes.length - Long.BYTES);
        } else {
            out.writeBytes(bytes);
        }
    }

    /** Why {@code answer} is not the echo of call {@code number}'s body, or {@code null} when it is. */
    String echoMismatch(ByteBuf answer, long number) {
        int at = answer.readerIndex();
        if (answer.readableBytes() != bytes.length) {
            return "an answer of " + answer.readableBytes() + " bytes to a request of " + bytes.length;
        }
        int from = 0;
        if (numbered) {
            if (answer.getLongLE(at) != number) {
                return "the answer to call " + number + " carries the number " + answer.getLongLE(at)
                        + " in its first 8 bytes";
            }
            from = Long.BYTES;
        }
        if (ByteBufUtil.equals(answer, at + from, expected, from, bytes.length - from)) {
            return null;
        }
        for (int i = from; i < bytes.length; i++) {
            if (answer.getByte(at + i) != bytes[i]) {
                return String.format("the answer differs from the request at byte %d (0x%02x, not 0x%02x)", i,
                        answer.getByte(at + i) & 0xFF, bytes[i] & 0xFF);
            }
        }
        return "the answer differs from the request";
    }
}
