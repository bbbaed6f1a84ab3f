package dev.dxreactor.benchmarks.rpc;

import io.netty.buffer.ByteBuf;

/**
 * The request bodies of the load clients: request {@code id} in the first 8 bytes, then bytes that depend on
 * the id and their position, so that an answer from another request, shifted or cut differs somewhere.
 */
final class Payloads {

    /** Room for the id. */
    static final int MIN_SIZE = 8;

    private Payloads() {
    }

    static byte at(long id, int index) {
        return (byte) (id * 31 + index * 7);
    }

    /** Appends request {@code id}'s {@code size} bytes to {@code out}. */
    static void write(ByteBuf out, long id, int size) {
        out.writeLong(id);
        for (int i = MIN_SIZE; i < size; i++) {
            out.writeByte(at(id, i));
        }
    }

    /** Request {@code id}'s {@code size} bytes. */
    static byte[] bytes(long id, int size) {
        byte[] out = new byte[size];
        for (int i = 0; i < MIN_SIZE; i++) {
            out[i] = (byte) (id >>> (56 - 8 * i));
        }
        for (int i = MIN_SIZE; i < size; i++) {
            out[i] = at(id, i);
        }
        return out;
    }

    /** Whether the readable bytes of {@code answer} are exactly request {@code id}'s {@code size} bytes. */
    static boolean matches(ByteBuf answer, long id, int size) {
        if (answer.readableBytes() != size) {
            return false;
        }
        int start = answer.readerIndex();
        if (answer.getLong(start) != id) {
            return false;
        }
        for (int i = MIN_SIZE; i < size; i++) {
            if (answer.getByte(start + i) != at(id, i)) {
                return false;
            }
        }
        return true;
    }

    /** As {@link #matches(ByteBuf, long, int)} for an array. */
    static boolean matches(byte[] answer, long id, int size) {
        if (answer.length != size) {
            return false;
        }
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
