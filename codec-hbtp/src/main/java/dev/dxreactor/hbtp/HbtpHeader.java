package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;

/**
 * The 8-byte HBTP/1 frame header, read and written in place (little-endian, fixed offsets):
 *
 * <pre>
 * offset size field
 * 0      1    opcode
 * 1      1    flags
 * 2      2    sequence (u16)
 * 4      4    length   (u32, payload bytes that follow)
 * </pre>
 *
 * Reads take an absolute index and never move the buffer's indexes.
 */
public final class HbtpHeader {

    public static final int SIZE = 8;
    public static final int OPCODE_OFFSET = 0;
    public static final int FLAGS_OFFSET = 1;
    public static final int SEQUENCE_OFFSET = 2;
    public static final int LENGTH_OFFSET = 4;

    /** The largest sequence number: sequences are unsigned 16-bit. */
    public static final int MAX_SEQUENCE = 0xFFFF;
    /** The largest length the field can carry (u32). */
    public static final long MAX_LENGTH = 0xFFFF_FFFFL;

    private HbtpHeader() {
    }

    /**
     * Appends a header at the writer index.
     *
     * @throws IllegalArgumentException if a field does not fit its width
     */
    public static void write(ByteBuf out, int opcode, int flags, int sequence, long length) {
        out.ensureWritable(SIZE);
        int at = out.writerIndex();
        set(out, at, opcode, flags, sequence, length);
        out.writerIndex(at + SIZE);
    }

    /**
     * Writes a header at {@code index}, indexes unchanged: over room left in front of a body already written.
     *
     * @throws IllegalArgumentException if a field does not fit its width
     */
    public static void set(ByteBuf buf, int index, int opcode, int flags, int sequence, long length) {
        checkRange("opcode", opcode, 0xFF);
        checkRange("flags", flags, 0xFF);
        checkRange("sequence", sequence, MAX_SEQUENCE);
        if (length < 0 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("length " + length + " does not fit u32");
        }
        // One 8-byte store, one bounds check: the fields are little-endian and in this order on the wire.
        buf.setLongLE(index, opcode | (long) flags << 8 | (long) sequence << 16 | length << 32);
    }

    /** Overwrites the length field of a header already written at {@code headerIndex}. */
    public static void setLength(ByteBuf buf, int headerIndex, long length) {
        if (length < 0 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("length " + length + " does not fit u32");
        }
        buf.setIntLE(headerIndex + LENGTH_OFFSET, (int) length);
    }

    public static int opcode(ByteBuf buf, int headerIndex) {
        return buf.getUnsignedByte(headerIndex + OPCODE_OFFSET);
    }

    public static int flags(ByteBuf buf, int headerIndex) {
        return buf.getUnsignedByte(headerIndex + FLAGS_OFFSET);
    }

    public static int sequence(ByteBuf buf, int headerIndex) {
        return buf.getUnsignedShortLE(headerIndex + SEQUENCE_OFFSET);
    }

    /** The payload length, unsigned. */
    public static long length(ByteBuf buf, int headerIndex) {
        return buf.getUnsignedIntLE(headerIndex + LENGTH_OFFSET);
    }

    private static void checkRange(String field, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(field + " " + value + " is outside 0.." + max);
        }
    }
}
