package dev.dxreactor.teleport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

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
 * <p>Fields are stored with plain little-endian stores into an array this writer keeps, through byte-array
 * view handles (a {@code ByteBuf.setLongLE} per field would check the reference count and the bounds every
 * time); strings are encoded straight into a second array, the string table, an ASCII string (the common
 * case) by the JDK's own copy, with no array of its own. {@link #finish()} copies block, slices and string
 * table into one buffer of exactly the message's size.
 *
 * <p>Reusable: after {@link #finish()} the next message starts afresh in the same arrays. Not thread-safe.
 */
public final class TeleportBuffer {

    static final int INITIAL_CAPACITY = 256;

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle CHAR = MethodHandles.byteArrayViewVarHandle(char[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Little-endian element layouts for copying whole primitive arrays into the message. */
    private static final ValueLayout.OfShort SHORTS = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfChar CHARS = ValueLayout.JAVA_CHAR_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INTS = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONGS = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Four chars read as one long, in the platform's order: the ASCII test masks every char alike either way. */
    private static final ValueLayout.OfLong FOUR_CHARS = ValueLayout.JAVA_LONG_UNALIGNED;
    /** The most bytes a message may have, with room for the padding after its last part. */
    private static final long MAX_MESSAGE = Integer.MAX_VALUE - 8;

    private final ByteBufAllocator alloc;
    private byte[] bytes = new byte[INITIAL_CAPACITY];
    private MemorySegment segment = MemorySegment.ofArray(bytes);
    private int length;
    /** The string table of the message being written: UTF-8, appended after the slices by finish. */
    private byte[] table = new byte[INITIAL_CAPACITY];
    /** Where a string's chars are taken out to be checked for ASCII, four at a time through {@link #charMemory}. */
    private char[] chars = new char[INITIAL_CAPACITY];
    private MemorySegment charMemory = MemorySegment.ofArray(chars);
    private int tableLength;
    private boolean writing;
    private boolean released;

    private TeleportBuffer(ByteBufAllocator alloc) {
        this.alloc = alloc;
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
        if (writing) {
            throw new IllegalStateException("the previous message was not finished; call finish() first");
        }
        if (released) {
            throw new IllegalStateException("this writer was released");
        }
        checkU16("schemaId", schemaId);
        checkU16("templateId", templateId);
        checkU16("version", version);
        checkU16("blockLength", blockLength);
        tableLength = 0;
        length = 0;
        grow(TeleportHeader.SIZE + TeleportLayout.align(blockLength, 8));
        SHORT.set(bytes, TeleportHeader.BLOCK_LENGTH_OFFSET, (short) blockLength);
        SHORT.set(bytes, TeleportHeader.TEMPLATE_ID_OFFSET, (short) templateId);
        SHORT.set(bytes, TeleportHeader.SCHEMA_ID_OFFSET, (short) schemaId);
        SHORT.set(bytes, TeleportHeader.VERSION_OFFSET, (short) version);
        writing = true;
        return TeleportHeader.SIZE;
    }

    public void putBoolean(int at, boolean value) {
        bytes[at] = value ? (byte) 1 : (byte) 0;
    }

    public void putByte(int at, byte value) {
        bytes[at] = value;
    }

    public void putShort(int at, short value) {
        SHORT.set(bytes, at, value);
    }

    public void putChar(int at, char value) {
        CHAR.set(bytes, at, value);
    }

    public void putInt(int at, int value) {
        INT.set(bytes, at, value);
    }

    public void putLong(int at, long value) {
        LONG.set(bytes, at, value);
    }

    public void putFloat(int at, float value) {
        INT.set(bytes, at, Float.floatToRawIntBits(value));
    }

    public void putDouble(int at, double value) {
        LONG.set(bytes, at, Double.doubleToRawLongBits(value));
    }

    /** An enum constant's ordinal in {@code width} bytes (1, 2 or 4, from {@link TeleportLayout#enumWidth}). */
    public void putEnum(int at, int width, Enum<?> value) {
        int ordinal = value.ordinal();
        switch (width) {
            case 1 -> bytes[at] = (byte) ordinal;
            case 2 -> SHORT.set(bytes, at, (short) ordinal);
            default -> INT.set(bytes, at, ordinal);
        }
    }

    /**
     * Appends {@code value} as UTF-8 to the string table and writes its reference at {@code refAt}; a
     * {@code null} string gets the reference ({@link TeleportLayout#NULL_STRING}, 0). A lone surrogate, which
     * UTF-8 cannot hold, is written as {@code '?'}.
     *
     * @return the reference: offset into the string table in the high 32 bits, length in the low 32
     * @throws IllegalArgumentException when the string would not fit in a message (2 GiB)
     */
    public long writeString(int refAt, CharSequence value) {
        if (value == null) {
            putReference(refAt, TeleportLayout.NULL_STRING, 0);
            return (long) TeleportLayout.NULL_STRING << 32;
        }
        int offset = tableLength;
        int written = appendUtf8(value.toString());
        putReference(refAt, offset, written);
        return (long) offset << 32 | written;
    }

    /**
     * Appends the UTF-8 bytes of {@code value} to the string table.
     *
     * <p>ASCII, the common case, is one byte per char. The chars come out through the JDK's intrinsic copy and
     * are checked four at a time; then the deprecated {@code String.getBytes(int, int, byte[], int)}, which
     * keeps the low byte of each char (exact for ASCII), copies them straight into the table: for the
     * JDK's compact strings that is an array copy. Measured against narrowing the chars in a loop of our own,
     * a tenth less per message; {@code getBytes(UTF_8)} allocates an array per string, and a loop over
     * {@code charAt}, fast on its own, ran at twice the time in the JVM of the full codec benchmark.
     */
    @SuppressWarnings("deprecation")
    private int appendUtf8(String value) {
        int chars = value.length();
        int start = tableLength;
        ensureTable(chars);
        if (chars > this.chars.length) {
            this.chars = new char[Math.max(chars, 2 * this.chars.length)];
            charMemory = MemorySegment.ofArray(this.chars);
        }
        value.getChars(0, chars, this.chars, 0);
        if (!isAscii(chars)) {
            return appendEncoded(value, start);
        }
        value.getBytes(0, chars, table, start);
        tableLength = start + chars;
        return chars;
    }

    /** Whether the first {@code count} of {@link #chars} are all below 0x80. */
    private boolean isAscii(int count) {
        MemorySegment from = charMemory;
        long high = 0;
        int i = 0;
        for (; i + 4 <= count; i += 4) {
            high |= from.get(FOUR_CHARS, 2L * i);
        }
        for (; i < count; i++) {
            high |= chars[i];
        }
        return (high & 0xFF80_FF80_FF80_FF80L) == 0;
    }

    /** Anything beyond ASCII is encoded by the JDK: a lone surrogate, which UTF-8 cannot hold, becomes '?'. */
    private int appendEncoded(String value, int start) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        ensureTable(utf8.length);
        System.arraycopy(utf8, 0, table, start, utf8.length);
        tableLength = start + utf8.length;
        return utf8.length;
    }

    /** Room for {@code more} bytes after the string table's end. */
    private void ensureTable(int more) {
        if (length + (long) tableLength + more > MAX_MESSAGE) {
            throw new IllegalArgumentException("a string of " + more + " bytes does not fit in a message");
        }
        if (tableLength + more > table.length) {
            table = Arrays.copyOf(table, (int) Math.min(MAX_MESSAGE, Math.max(tableLength + more, 2L * table.length)));
        }
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
        int start = TeleportLayout.align(length, elementAlignment);
        long end = start + (long) count * elementSize;
        if (count < 0 || end + tableLength > MAX_MESSAGE) {
            throw new IllegalArgumentException("a slice of " + count + " elements of " + elementSize
                    + " bytes does not fit in a message");
        }
        grow((int) end - length);
        putReference(refAt, start, count);
        return start;
    }

    /** A {@code byte[]} slice; {@code null} is written as empty. */
    public void writeBytes(int refAt, byte[] values) {
        int count = values == null ? 0 : values.length;
        int start = writeSlice(refAt, count, 1, 1);
        if (count > 0) {
            System.arraycopy(values, 0, bytes, start, count);
        }
    }

    /** The readable bytes of {@code values} (not consumed) as a {@code byte[]} slice. */
    public void writeBytes(int refAt, ByteBuf values) {
        int count = values.readableBytes();
        int start = writeSlice(refAt, count, 1, 1);
        values.getBytes(values.readerIndex(), bytes, start, count);
    }

    public void writeBooleans(int refAt, boolean[] values) {
        int count = values == null ? 0 : values.length;
        int start = writeSlice(refAt, count, 1, 1);
        for (int i = 0; i < count; i++) {
            bytes[start + i] = values[i] ? (byte) 1 : (byte) 0;
        }
    }

    public void writeShorts(int refAt, short[] values) {
        int count = values == null ? 0 : values.length;
        int start = writeSlice(refAt, count, 2, 2);
        if (count > 0) {
            MemorySegment.copy(values, 0, segment, SHORTS, start, count);
        }
    }

    public void writeChars(int refAt, char[] values) {
        int count = values == null ? 0 : values.length;
        int start = writeSlice(refAt, count, 2, 2);
        if (count > 0) {
            MemorySegment.copy(values, 0, segment, CHARS, start, count);
        }
    }

    public void writeInts(int refAt, int[] values) {
        int count = values == null ? 0 : values.length;
        int start = writeSlice(refAt, count, 4, 4);
        if (count > 0) {
            MemorySegment.copy(values, 0, segment, INTS, start, count);
        }
    }

    public void writeFloats(int refAt, float[] values) {
        int count = values == null ? 0 : values.length;
        int start = writeSlice(refAt, count, 4, 4);
        for (int i = 0; i < count; i++) {
            // Raw bits, so that every NaN comes back exactly as written.
            INT.set(bytes, start + 4 * i, Float.floatToRawIntBits(values[i]));
        }
    }

    public void writeLongs(int refAt, long[] values) {
        int count = values == null ? 0 : values.length;
        int start = writeSlice(refAt, count, 8, 8);
        if (count > 0) {
            MemorySegment.copy(values, 0, segment, LONGS, start, count);
        }
    }

    public void writeDoubles(int refAt, double[] values) {
        int count = values == null ? 0 : values.length;
        int start = writeSlice(refAt, count, 8, 8);
        for (int i = 0; i < count; i++) {
            LONG.set(bytes, start + 8 * i, Double.doubleToRawLongBits(values[i]));
        }
    }

    /**
     * Appends the string table, completes the header and hands over the message in a buffer from the
     * allocator, of exactly its size; the caller owns (and releases, or writes) it.
     *
     * @throws IllegalStateException when no message was begun
     */
    public ByteBuf finish() {
        ByteBuf message = alloc.buffer(messageLength());
        finishInto(message);
        return message;
    }

    /**
     * Appends the finished message to {@code target} instead: to put several messages into one outbound
     * buffer (one write and one flush for a burst of replies), or to reuse a buffer.
     *
     * @return the message's length in bytes
     * @throws IllegalStateException when no message was begun
     */
    public int finishInto(ByteBuf target) {
        int messageLength = messageLength();
        writing = false;
        INT.set(bytes, TeleportHeader.STRING_TABLE_OFFSET, length);
        INT.set(bytes, TeleportHeader.MESSAGE_LENGTH_OFFSET, messageLength);
        target.ensureWritable(messageLength);
        target.writeBytes(bytes, 0, length).writeBytes(table, 0, tableLength);
        return messageLength;
    }

    private int messageLength() {
        if (!writing) {
            throw new IllegalStateException("no message to finish; call beginMessage first");
        }
        return length + tableLength;
    }

    /** Drops an unfinished message (after a failure while writing it); the writer stays usable. */
    public void reset() {
        writing = false;
    }

    /** Whether a message was begun and not finished. */
    public boolean isWriting() {
        return writing;
    }

    /** Drops the arrays this writer keeps; it is not usable afterwards. */
    public void release() {
        writing = false;
        released = true;
        bytes = new byte[0];
        segment = MemorySegment.ofArray(bytes);
        table = new byte[0];
        chars = new char[0];
        charMemory = MemorySegment.ofArray(chars);
    }

    /** Appends {@code more} zeroed bytes to the message, growing the array when needed. */
    private void grow(int more) {
        int needed = length + more;
        if (needed > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(needed, 2 * bytes.length));
            segment = MemorySegment.ofArray(bytes);
        }
        Arrays.fill(bytes, length, needed, (byte) 0);
        length = needed;
    }

    private void putReference(int refAt, int offset, int count) {
        INT.set(bytes, refAt, offset);
        INT.set(bytes, refAt + 4, count);
    }

    private static void checkU16(String name, int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException(name + " " + value + " is outside 0..65535");
        }
    }
}
