package dev.dxreactor.teleport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

/**
 * Writes one message at a time: the header, the root block (zeroed, then filled by absolute offset), slices
 * appended after the block as they are written, and strings gathered into a table that {@link #finish()}
 * puts at the end. Generated {@code XxxTeleport.write} methods drive it; offsets passed in are from the
 * message start.
 *
 * <pre>{@code
 * TeleportBuffer out = TeleportBuffer.allocate(ctx.alloc());   // keep one per thread or per channel
 * UserTeleport.write(out, user);
 * ctx.writeAndFlush(out.finish());                              // the caller owns the finished buffer
 * }</pre>
 *
 * <p>Reusable: after {@link #finish()} the next message starts afresh, in a buffer sized from the largest
 * message so far. Not thread-safe. {@link #release()} frees the string staging buffer.
 */
public final class TeleportBuffer {

    static final int INITIAL_CAPACITY = 256;
    /** Messages larger than this still work; the starting capacity just stops following them. */
    static final int MAX_CAPACITY_HINT = 64 * 1024;

    private final ByteBufAllocator alloc;
    private final ByteBuf strings;
    private ByteBuf out;
    private int capacityHint = INITIAL_CAPACITY;

    private TeleportBuffer(ByteBufAllocator alloc) {
        this.alloc = alloc;
        this.strings = alloc.buffer(INITIAL_CAPACITY);
    }

    /** A writer whose messages come from {@code alloc}. */
    public static TeleportBuffer allocate(ByteBufAllocator alloc) {
        if (alloc == null) {
            throw new NullPointerException("alloc");
        }
        return new TeleportBuffer(alloc);
    }

    /**
     * Starts a message: writes the header and a zeroed root block of {@code blockLength} bytes, padded to 8
     * so that slices start aligned.
     *
     * @return the offset of the root block (always {@link TeleportHeader#SIZE})
     * @throws IllegalStateException    when the previous message was not finished
     * @throws IllegalArgumentException when an id, the version or the block length is outside 0..65535
     */
    public int beginMessage(int schemaId, int templateId, int version, int blockLength) {
        if (out != null) {
            throw new IllegalStateException("the previous message was not finished; call finish() first");
        }
        checkU16("schemaId", schemaId);
        checkU16("templateId", templateId);
        checkU16("version", version);
        checkU16("blockLength", blockLength);
        strings.clear();
        out = alloc.buffer(capacityHint);
        out.writeShortLE(blockLength).writeShortLE(templateId).writeShortLE(schemaId).writeShortLE(version)
                .writeLongLE(0);
        out.writeZero(TeleportLayout.align(blockLength, 8));
        return TeleportHeader.SIZE;
    }

    public void putBoolean(int at, boolean value) {
        out.setByte(at, value ? 1 : 0);
    }

    public void putByte(int at, byte value) {
        out.setByte(at, value);
    }

    public void putShort(int at, short value) {
        out.setShortLE(at, value);
    }

    public void putChar(int at, char value) {
        out.setShortLE(at, value);
    }

    public void putInt(int at, int value) {
        out.setIntLE(at, value);
    }

    public void putLong(int at, long value) {
        out.setLongLE(at, value);
    }

    public void putFloat(int at, float value) {
        out.setIntLE(at, Float.floatToRawIntBits(value));
    }

    public void putDouble(int at, double value) {
        out.setLongLE(at, Double.doubleToRawLongBits(value));
    }

    /** An enum constant's ordinal in {@code width} bytes (1, 2 or 4, from {@link TeleportLayout#enumWidth}). */
    public void putEnum(int at, int width, Enum<?> value) {
        int ordinal = value.ordinal();
        switch (width) {
            case 1 -> out.setByte(at, ordinal);
            case 2 -> out.setShortLE(at, ordinal);
            default -> out.setIntLE(at, ordinal);
        }
    }

    /**
     * Appends {@code value} as UTF-8 to the string table and writes its reference at {@code refAt}; a
     * {@code null} string gets the reference ({@link TeleportLayout#NULL_STRING}, 0).
     *
     * @return the reference: offset into the string table in the high 32 bits, length in the low 32
     */
    public long writeString(int refAt, CharSequence value) {
        if (value == null) {
            out.setIntLE(refAt, TeleportLayout.NULL_STRING);
            out.setIntLE(refAt + 4, 0);
            return (long) TeleportLayout.NULL_STRING << 32;
        }
        int offset = strings.writerIndex();
        int length = ByteBufUtil.writeUtf8(strings, value);
        out.setIntLE(refAt, offset);
        out.setIntLE(refAt + 4, length);
        return (long) offset << 32 | length;
    }

    /**
     * Appends a zeroed slice of {@code count} elements of {@code elementSize} bytes, aligned to
     * {@code elementAlignment}, and writes its reference (offset from the message start, count) at
     * {@code refAt}.
     *
     * @return the offset of the first element, for the caller to fill
     * @throws IllegalArgumentException when the slice would not fit in a message (2 GiB)
     */
    public int writeSlice(int refAt, int count, int elementSize, int elementAlignment) {
        int start = TeleportLayout.align(out.writerIndex(), elementAlignment);
        long end = start + (long) count * elementSize;
        if (count < 0 || end > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a slice of " + count + " elements of " + elementSize
                    + " bytes does not fit in a message");
        }
        out.writeZero((int) end - out.writerIndex());
        out.setIntLE(refAt, start);
        out.setIntLE(refAt + 4, count);
        return start;
    }

    /** A {@code byte[]} slice; {@code null} is written as empty. */
    public void writeBytes(int refAt, byte[] values) {
        int count = values == null ? 0 : values.length;
        int start = writeSlice(refAt, count, 1, 1);
        if (count > 0) {
            out.setBytes(start, values);
        }
    }

    /** The readable bytes of {@code values} (not consumed) as a {@code byte[]} slice. */
    public void writeBytes(int refAt, ByteBuf values) {
        int count = values.readableBytes();
        int start = writeSlice(refAt, count, 1, 1);
        out.setBytes(start, values, values.readerIndex(), count);
    }

    public void writeBooleans(int refAt, boolean[] values) {
        int count = values == null ? 0 : values.length;
        int start = writeSlice(refAt, count, 1, 1);
        for (int i = 0; i < count; i++) {
            out.setByte(start + i, values[i] ? 1 : 0);
        }
    }

    public void writeShorts(int refAt, short[] values) {
        int count = values == null ? 0 : values.length;
        int start = writeSlice(refAt, count, 2, 2);
        for (int i = 0; i < count; i++) {
            out.setShortLE(start + 2 * i, values[i]);
        }
    }

    public void writeChars(int refAt, char[] values) {
        int count = values == null ? 0 : values.length;
        int start = writeSlice(refAt, count, 2, 2);
        for (int i = 0; i < count; i++) {
            out.setShortLE(start + 2 * i, values[i]);
        }
    }

    public void writeInts(int refAt, int[] values) {
        int count = values == null ? 0 : values.length;
        int start = writeSlice(refAt, count, 4, 4);
        for (int i = 0; i < count; i++) {
            out.setIntLE(start + 4 * i, values[i]);
        }
    }

    public void writeFloats(int refAt, float[] values) {
        int count = values == null ? 0 : values.length;
        int start = writeSlice(refAt, count, 4, 4);
        for (int i = 0; i < count; i++) {
            out.setIntLE(start + 4 * i, Float.floatToRawIntBits(values[i]));
        }
    }

    public void writeLongs(int refAt, long[] values) {
        int count = values == null ? 0 : values.length;
        int start = writeSlice(refAt, count, 8, 8);
        for (int i = 0; i < count; i++) {
            out.setLongLE(start + 8 * i, values[i]);
        }
    }

    public void writeDoubles(int refAt, double[] values) {
        int count = values == null ? 0 : values.length;
        int start = writeSlice(refAt, count, 8, 8);
        for (int i = 0; i < count; i++) {
            out.setLongLE(start + 8 * i, Double.doubleToRawLongBits(values[i]));
        }
    }

    /**
     * Appends the string table, completes the header and hands over the message; the caller owns (and
     * releases, or writes) the returned buffer.
     *
     * @throws IllegalStateException when no message was begun
     */
    public ByteBuf finish() {
        if (out == null) {
            throw new IllegalStateException("no message to finish; call beginMessage first");
        }
        ByteBuf message = out;
        out = null;
        int stringTable = message.writerIndex();
        message.writeBytes(strings, 0, strings.writerIndex());
        message.setIntLE(TeleportHeader.STRING_TABLE_OFFSET, stringTable);
        message.setIntLE(TeleportHeader.MESSAGE_LENGTH_OFFSET, message.writerIndex());
        capacityHint = Math.min(MAX_CAPACITY_HINT, Math.max(capacityHint, message.writerIndex()));
        return message;
    }

    /** Drops an unfinished message (after a failure while writing it); the writer stays usable. */
    public void reset() {
        if (out != null) {
            out.release();
            out = null;
        }
    }

    /** Whether a message was begun and not finished. */
    public boolean isWriting() {
        return out != null;
    }

    /** Drops an unfinished message and frees the staging buffer; this writer is not usable afterwards. */
    public void release() {
        if (out != null) {
            out.release();
            out = null;
        }
        strings.release();
    }

    private static void checkU16(String name, int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException(name + " " + value + " is outside 0..65535");
        }
    }
}
