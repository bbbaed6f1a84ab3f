package dev.dxreactor.benchmarks.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * The request bodies of the load clients: request {@code id} in the first 8 bytes, then bytes that depend on
 * the id and their position, so that an answer from another request, shifted or cut differs somewhere.
 */
final class Payloads {

    /** Room for the id. */
    static final int MIN_SIZE = 8;

    /**
     * Each thread's scratch (a Netty thread-local: an event loop thread finds it in an array, not a hash map):
     * requests are built and answers checked in an array, with one bulk copy to or from
     * the buffer, so that the harness costs every protocol the same few nanoseconds rather than one bounds and
     * reference-count check per byte (which on a derived buffer costs more than the protocols measured).
     */
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[256];
        }
    };

    private Payloads() {
    }

    static byte at(long id, int index) {
        return (byte) (id * 31 + index * 7);
    }

    /** Appends request {@code id}'s {@code size} bytes to {@code out}. */
    static void write(ByteBuf out, long id, int size) {
        byte[] bytes = scratch(size);
        fill(bytes, id, size);
        out.writeBytes(bytes, 0, size);
    }

    /** Request {@code id}'s {@code size} bytes. */
    static byte[] bytes(long id, int size) {
        byte[] out = new byte[size];
        fill(out, id, size);
        return out;
    }

    private static void fill(byte[] out, long id, int size) {
        for (int i = 0; i < MIN_SIZE; i++) {
            out[i] = (byte) (id >>> (56 - 8 * i));
        }
        for (int i = MIN_SIZE; i < size; i++) {
            out[i] = at(id, i);
        }
    }

    private static byte[] scratch(int size) {
        byte[] bytes = SCRATCH.get();
        if (bytes.length < size) {
            bytes = new byte[size];
            SCRATCH.set(bytes);
        }
        return bytes;
    }

    /** Whether the readable bytes of {@code answer} are exactly request {@code id}'s {@code size} bytes. */
    static boolean matches(ByteBuf answer, long id, int size) {
        if (answer.readableBytes() != size) {
            return false;
        }
        byte[] bytes = scratch(size);
        answer.getBytes(answer.readerIndex(), bytes, 0, size);
        return matches(bytes, size, id);
    }

    /** As {@link #matches(ByteBuf, long, int)} for an array. */
    static boolean matches(byte[] answer, long id, int size) {
        return answer.length == size && matches(answer, size, id);
    }

    /** Whether the first {@code size} bytes of {@code answer} are request {@code id}'s. */
    private static boolean matches(byte[] answer, int size, long id) {
        for (int i = 0; i < MIN_SIZE; i++) {
            if (answer[i] != (byte) (id >>> (56 - 8 * i))) {
                return false;
            }
        }
        for (int i = MIN_SIZE; i < size; i++) {
            if (answer[i] != at(id, i)) {
                return false;
            }
        }
        return true;
    }
}
