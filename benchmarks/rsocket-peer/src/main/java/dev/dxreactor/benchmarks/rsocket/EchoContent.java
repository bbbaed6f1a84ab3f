package dev.dxreactor.benchmarks.rsocket;

import io.netty.buffer.ByteBuf;

/**
 * The bytes of request number {@code sequence}: the sequence number big-endian in the first eight bytes (as
 * many as fit), then bytes derived from it and their position. The content therefore changes with every request
 * and every answer can be checked byte for byte without keeping its request, which RSocket releases once sent.
 */
final class EchoContent {

    private EchoContent() {
    }

    static byte expectedByte(long sequence, int index) {
        if (index < Long.BYTES) {
            return (byte) (sequence >>> (Long.SIZE - Byte.SIZE * (index + 1)));
        }
        return (byte) (sequence * 31 + index);
    }

    /** Writes the {@code size} bytes of request {@code sequence} to {@code buf}. */
    static void write(ByteBuf buf, long sequence, int size) {
        for (int i = 0; i < size; i++) {
            buf.writeByte(expectedByte(sequence, i));
        }
    }

    /** Whether {@code data}'s readable bytes are exactly the {@code size} bytes of request {@code sequence}. */
    static boolean matches(ByteBuf data, long sequence, int size) {
        if (data.readableBytes() != size) {
            return false;
        }
        int base = data.readerIndex();
        for (int i = 0; i < size; i++) {
            if (data.getByte(base + i) != expectedByte(sequence, i)) {
                return false;
            }
        }
        return true;
    }
}
