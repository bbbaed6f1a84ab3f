package dev.dxreactor.benchmarks.rsocket;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * The bytes of request number {@code sequence}: the sequence number big-endian in the first eight bytes (as
 * many as fit), then bytes derived from it and their position. The content therefore changes with every request
 * and every answer can be checked byte for byte without keeping its request, which RSocket releases once sent.
 */
final class EchoContent {

    /**
     * Each thread's scratch (a Netty thread-local: an event loop thread finds it in an array, not a hash map):
     * requests are built and answers checked in an array with one bulk copy, so the
     * harness costs the same as it does for every other protocol (not one reference-count check per byte).
     */
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[256];
        }
    };

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
        byte[] bytes = scratch(size);
        for (int i = 0; i < size; i++) {
            bytes[i] = expectedByte(sequence, i);
        }
        buf.writeBytes(bytes, 0, size);
    }

    private static byte[] scratch(int size) {
        byte[] bytes = SCRATCH.get();
        if (bytes.length < size) {
            bytes = new byte[size];
            SCRATCH.set(bytes);
        }
        return bytes;
    }

    /** Whether {@code data}'s readable bytes are exactly the {@code size} bytes of request {@code sequence}. */
    static boolean matches(ByteBuf data, long sequence, int size) {
        if (data.readableBytes() != size) {
            return false;
        }
        byte[] bytes = scratch(size);
        data.getBytes(data.readerIndex(), bytes, 0, size);
        for (int i = 0; i < size; i++) {
            if (bytes[i] != expectedByte(sequence, i)) {
                return false;
            }
        }
        return true;
    }
}
