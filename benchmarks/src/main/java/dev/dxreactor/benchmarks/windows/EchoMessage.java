package dev.dxreactor.benchmarks.windows;

import io.netty.buffer.ByteBuf;

/**
 * The messages of the echo benchmark: {@value #SIZE} bytes, different for every connection and sequence
 * number, so that an echo can be checked byte for byte against the message it answers.
 */
final class EchoMessage {

    static final int SIZE = 64;
    private static final int WORDS = SIZE / Long.BYTES;

    private EchoMessage() {
    }

    /** Appends message {@code sequence} of {@code connection} to {@code out}. */
    static void write(ByteBuf out, int connection, long sequence) {
        for (int i = 0; i < WORDS; i++) {
            out.writeLong(word(connection, sequence, i));
        }
    }

    /** Whether {@code in} holds exactly message {@code sequence} of {@code connection}. */
    static boolean matches(ByteBuf in, int connection, long sequence) {
        if (in.readableBytes() != SIZE) {
            return false;
        }
        int at = in.readerIndex();
        for (int i = 0; i < WORDS; i++) {
            if (in.getLong(at + i * Long.BYTES) != word(connection, sequence, i)) {
                return false;
            }
        }
        return true;
    }

    /** The SplitMix64 finalizer of connection, sequence and position. */
    private static long word(int connection, long sequence, int index) {
        long z = sequence * 0x9E3779B97F4A7C15L + (long) connection * 0xD1B54A32D192ED03L + index;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
