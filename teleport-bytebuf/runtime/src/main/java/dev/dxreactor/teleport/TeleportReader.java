package dev.dxreactor.teleport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * One message being read: the buffer, where the message and its string table start, and the block length
 * and version the writer used. A generated view wraps a reader; every view nested in it shares the same one.
 *
 * <p>{@link #wrap} checks the header and the {@code check*} methods check each reference, once, when the
 * view is wrapped; after that the read methods do no checks of their own, because every offset they use
 * was proved inside the message. Nothing is copied: strings and byte slices can be read as slices of the
 * message buffer.
 *
 * <p>Fields are read through a {@link MemorySegment} over the buffer's memory ({@link #segment()}), at
 * positions this reader hands out ({@link #block()}, {@link #sliceStart}): one plain little-endian load
 * each, where {@code ByteBuf.getLongLE} would check the reference count and the bounds again on every call.
 * The segment is made once per backing array, or per NIO buffer that Netty hands out for direct memory
 * (one per pooled buffer), and reused while the next messages arrive in the same memory, so re-wrapping
 * allocates nothing; a message spread over several buffers (a composite) is copied once into an array this
 * reader keeps.
 *
 * <p>A reader is valid only while its buffer is: it neither retains nor releases it. Reusable: wrap it
 * again for the next message. Not thread-safe.
 */
public final class TeleportReader {

    /** The little-endian, unaligned layouts generated views read fields with. */
    public static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
    public static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfChar CHAR = ValueLayout.JAVA_CHAR_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfDouble DOUBLE =
            ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** A null string's reference, (NULL_STRING, 0), read as one little-endian long. */
    private static final long NULL_REFERENCE = Integer.toUnsignedLong(TeleportLayout.NULL_STRING);

    /** The longest string decoded through the kept scratch array. */
    static final int SCRATCH_LIMIT = 4096;

    private ByteBuf buf;
    private MemorySegment segment;
    /** A position in {@link #segment} is the buffer index plus this. */
    private long delta;
    /** The array behind {@link #segment}, or {@code null} when it is native memory. */
    private byte[] array;
    private byte[] cachedArray;
    private MemorySegment cachedArraySegment;
    private ByteBuffer cachedNio;
    private MemorySegment cachedNioSegment;
    private byte[] copy;
    private MemorySegment copySegment;
    /** Where strings in native memory are gathered before decoding: one copy, no array per string. */
    private byte[] scratch;
    /** Segment positions of the message start, the string table and the message end. */
    private long base;
    private int blockLength;
    private int version;
    private long stringTable;
    private long end;
    /** Bytes of all slices checked so far: more than the slice area means slices overlap. */
    private long sliced;
    private boolean validateUtf8;

    /** Also check that every string is well-formed UTF-8 (off by default: malformed bytes decode to U+FFFD). */
    public TeleportReader validateUtf8(boolean validate) {
        this.validateUtf8 = validate;
        return this;
    }

    /**
     * Points this reader at the message starting at {@code offset} of {@code buf} and checks its header.
     *
     * @param minBlockLength the block length of the reader's first version: a message must have at least
     *                       the fields every version has
     * @throws TeleportFormatException when the bytes are not a message of this schema and template
     */
    public void wrap(ByteBuf buf, int offset, int schemaId, int templateId, int minBlockLength) {
        int limit = buf.writerIndex();
        if (offset < 0 || offset > limit || limit - offset < TeleportHeader.SIZE) {
            throw new TeleportFormatException("a message needs a 16-byte header; "
                    + Math.max(0, limit - offset) + " bytes at offset " + offset);
        }
        // The header is read through the segment too: one mapping, then two plain loads.
        map(buf, offset, limit - offset);
        long at = offset + delta;
        long ids = segment.get(LONG, at);
        long lengths = segment.get(LONG, at + TeleportHeader.STRING_TABLE_OFFSET);
        int present = limit - offset;
        int block = (int) ids & 0xFFFF;
        long table = lengths & 0xFFFF_FFFFL;
        long messageLength = lengths >>> 32;
        if ((int) (ids >>> 16) != (templateId | schemaId << 16)
                || messageLength < TeleportHeader.SIZE || messageLength > present
                || block < minBlockLength || TeleportHeader.SIZE + block > messageLength
                || table < TeleportHeader.SIZE + block || table > messageLength) {
            throw headerError(ids, lengths, present, schemaId, templateId, minBlockLength);
        }
        if (this.buf != buf) {
            this.buf = buf;
        }
        this.base = at;
        this.blockLength = block;
        this.version = (int) (ids >>> 48);
        this.stringTable = at + table;
        this.end = at + messageLength;
        this.sliced = 0;
    }

    /** What is wrong with a header {@link #wrap} refused; kept out of the way of the check itself. */
    private static TeleportFormatException headerError(long ids, long lengths, int present, int schemaId,
                                                       int templateId, int minBlockLength) {
        int block = (int) ids & 0xFFFF;
        int actualTemplate = (int) (ids >>> 16) & 0xFFFF;
        int actualSchema = (int) (ids >>> 32) & 0xFFFF;
        long table = lengths & 0xFFFF_FFFFL;
        long messageLength = lengths >>> 32;
        if (actualSchema != schemaId || actualTemplate != templateId) {
            return new TeleportFormatException("message of schema " + actualSchema + ", template " + actualTemplate
                    + "; expected schema " + schemaId + ", template " + templateId);
        }
        if (messageLength < TeleportHeader.SIZE || messageLength > present) {
            return new TeleportFormatException("message length " + messageLength + " but " + present
                    + " bytes are present");
        }
        if (block < minBlockLength || TeleportHeader.SIZE + block > messageLength) {
            return new TeleportFormatException("block length " + block + " outside " + minBlockLength + ".."
                    + (messageLength - TeleportHeader.SIZE));
        }
        return new TeleportFormatException("string table offset " + table + " outside "
                + (TeleportHeader.SIZE + block) + ".." + messageLength);
    }

    /** Chooses the segment the message is read through, and how buffer indexes map onto it. */
    private void map(ByteBuf buf, int offset, int length) {
        if (buf.hasArray()) {
            byte[] array = buf.array();
            if (array != cachedArray) {
                cachedArray = array;
                cachedArraySegment = MemorySegment.ofArray(array);
            }
            use(cachedArraySegment, array);
            delta = buf.arrayOffset();
        } else if (buf.nioBufferCount() == 1) {
            // Netty hands out the same internal NIO buffer for the same memory (one per pooled buffer, reset
            // when the buffer is reused for other memory), and a ByteBuffer never changes the memory it covers:
            // a segment over all of it stays right for every later message arriving in it.
            ByteBuffer nio = buf.internalNioBuffer(offset, length);
            if (nio != cachedNio) {
                cachedNio = nio;
                cachedNioSegment = MemorySegment.ofBuffer(nio.duplicate().clear());
            }
            use(cachedNioSegment, null);
            delta = nio.position() - (long) offset;
        } else {
            // Only this message, not the rest of the buffer, which may hold many more.
            long declared = buf.getUnsignedIntLE(offset + TeleportHeader.MESSAGE_LENGTH_OFFSET);
            length = (int) Math.min(length, Math.max(TeleportHeader.SIZE, declared));
            if (copy == null || copy.length < length) {
                copy = new byte[Math.max(length, 256)];
                copySegment = MemorySegment.ofArray(copy);
            }
            buf.getBytes(offset, copy, 0, length);
            use(copySegment, copy);
            delta = -offset;
        }
    }

    /**
     * Stores the segment and array to read through only when they changed: a reference store costs a GC write
     * barrier even when it stores the same value, and most messages arrive in the memory of the one before.
     */
    private void use(MemorySegment segment, byte[] array) {
        if (this.segment != segment) {
            this.segment = segment;
        }
        if (this.array != array) {
            this.array = array;
        }
    }

    /** What views read fields from, at the positions this reader hands out. */
    public MemorySegment segment() {
        return segment;
    }

    /** The buffer read; strings and byte slices are handed out as slices of it. */
    public ByteBuf buffer() {
        return buf;
    }

    /** Where the root block starts in {@link #segment()}. */
    public long block() {
        return base + TeleportHeader.SIZE;
    }

    /** The root block length the writer's version has. */
    public int blockLength() {
        return blockLength;
    }

    /** The writer's version of the type. */
    public int version() {
        return version;
    }

    /** Bytes of the whole message. */
    public int messageLength() {
        return (int) (end - base);
    }

    // ---- checks, run once by a view's wrap -------------------------------------------------------------

    /**
     * Checks the string reference at {@code refAt} (a segment position) against the string table.
     *
     * @throws TeleportFormatException when it points outside the table, or is malformed UTF-8 and
     *                                 {@link #validateUtf8} is on
     */
    public void checkString(long refAt, String field) {
        long ref = segment.get(LONG, refAt);
        if (ref == NULL_REFERENCE) {
            return;
        }
        long from = ref & 0xFFFF_FFFFL;
        long length = ref >>> 32;
        if (from + length > end - stringTable) {
            throw new TeleportFormatException(field + ": string of " + length + " bytes at " + from
                    + " outside the string table of " + (end - stringTable) + " bytes");
        }
        if (validateUtf8 && !ByteBufUtil.isText(buf, bufferIndex(stringTable + from), (int) length,
                StandardCharsets.UTF_8)) {
            throw new TeleportFormatException(field + ": string is not well-formed UTF-8");
        }
    }

    /**
     * Checks the slice reference at {@code refAt}: aligned (to {@code elementAlignment}, a power of two),
     * after the root block, its elements before the string table, and not overlapping other slices (a writer
     * never shares one; a crafted message that does could make validation visit the same elements again and
     * again).
     *
     * @return the number of elements
     * @throws TeleportFormatException when it does not fit in that space
     */
    public int checkSlice(long refAt, int elementSize, int elementAlignment, String field) {
        long ref = segment.get(LONG, refAt);
        long offset = ref & 0xFFFF_FFFFL;
        long count = ref >>> 32;
        if (count == 0) {
            return 0;
        }
        long start = base + offset;
        long bytes = count * elementSize;
        long area = base + TeleportHeader.SIZE + blockLength;
        // Alignments are powers of two (TeleportLayout), so a mask replaces a division.
        if ((offset & (elementAlignment - 1)) != 0 || start < area || start + bytes > stringTable) {
            throw new TeleportFormatException(field + ": slice of " + count + " x " + elementSize
                    + " bytes at offset " + offset + " outside the slice area "
                    + (area - base) + ".." + (stringTable - base));
        }
        sliced += bytes;
        if (sliced > stringTable - area) {
            throw new TeleportFormatException(field + ": slices overlap (" + sliced + " bytes referenced in a"
                    + " slice area of " + (stringTable - area) + ")");
        }
        return (int) count;
    }

    /**
     * Checks that the enum ordinal at {@code at} names one of {@code constants} constants.
     *
     * @throws TeleportFormatException otherwise
     */
    public void checkEnum(long at, int width, int constants, String field) {
        long ordinal = switch (width) {
            case 1 -> Byte.toUnsignedLong(segment.get(BYTE, at));
            case 2 -> Short.toUnsignedLong(segment.get(SHORT, at));
            default -> Integer.toUnsignedLong(segment.get(INT, at));
        };
        if (ordinal >= constants) {
            throw new TeleportFormatException(field + ": enum ordinal " + ordinal + " but there are only "
                    + constants + " constants");
        }
    }

    // ---- reads, unchecked once wrapped -----------------------------------------------------------------

    /** The enum ordinal at {@code at}. */
    public int enumOrdinal(long at, int width) {
        return switch (width) {
            case 1 -> Byte.toUnsignedInt(segment.get(BYTE, at));
            case 2 -> Short.toUnsignedInt(segment.get(SHORT, at));
            default -> segment.get(INT, at);
        };
    }

    /** The string whose reference is at {@code refAt}, decoded; {@code null} for a null string. */
    public String string(long refAt) {
        long ref = segment.get(LONG, refAt);
        if (ref == NULL_REFERENCE) {
            return null;
        }
        long from = stringTable + (ref & 0xFFFF_FFFFL);
        int length = (int) (ref >>> 32);
        if (array != null) {
            return new String(array, (int) from, length, StandardCharsets.UTF_8);
        }
        byte[] bytes = scratch(length);
        MemorySegment.copy(segment, BYTE, from, bytes, 0, length);
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    /**
     * An array of at least {@code length} bytes: the kept scratch array, grown as needed up to
     * {@link #SCRATCH_LIMIT}; a longer string gets an array of its own, so one huge string does not stay
     * referenced by the reader.
     */
    private byte[] scratch(int length) {
        byte[] bytes = scratch;
        if (bytes != null && bytes.length >= length) {
            return bytes;
        }
        if (length > SCRATCH_LIMIT) {
            return new byte[length];
        }
        scratch = bytes = new byte[Math.max(length, Math.min(SCRATCH_LIMIT, bytes == null ? 64 : 2 * bytes.length))];
        return bytes;
    }

    /**
     * The UTF-8 bytes of the string whose reference is at {@code refAt}, as a slice of the message (no copy,
     * valid while the message buffer is); {@code null} for a null string.
     */
    public ByteBuf stringBytes(long refAt) {
        int offset = segment.get(INT, refAt);
        int length = segment.get(INT, refAt + 4);
        if (offset == TeleportLayout.NULL_STRING && length == 0) {
            return null;
        }
        return buf.slice(bufferIndex(stringTable + offset), length);
    }

    /** Where the first element of the slice referenced at {@code refAt} is, in {@link #segment()}. */
    public long sliceStart(long refAt) {
        return base + Integer.toUnsignedLong(segment.get(INT, refAt));
    }

    /** How many elements the slice referenced at {@code refAt} has. */
    public int sliceCount(long refAt) {
        return segment.get(INT, refAt + 4);
    }

    /** The bytes of the {@code byte[]} slice referenced at {@code refAt}, as a slice of the message. */
    public ByteBuf sliceBytes(long refAt) {
        int count = sliceCount(refAt);
        // An empty slice's offset is never checked, so it must not be used.
        return count == 0 ? Unpooled.EMPTY_BUFFER : buf.slice(bufferIndex(sliceStart(refAt)), count);
    }

    private int bufferIndex(long position) {
        return (int) (position - delta);
    }
}
