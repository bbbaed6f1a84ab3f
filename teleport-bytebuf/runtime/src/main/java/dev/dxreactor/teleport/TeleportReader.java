package dev.dxreactor.teleport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

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
 * <p>Fields are read through a little-endian {@link ByteBuffer} over the buffer's memory ({@link #memory()}),
 * at positions this reader hands out ({@link #block()}, {@link #sliceStart}): one little-endian load each,
 * where {@code ByteBuf.getLongLE} would check the reference count and the bounds again on every call. (A
 * {@code MemorySegment} does the same job but also checks its session on every load: measured, a third
 * slower per field on JDK 25.) The view is made once per backing array, or per NIO buffer that Netty hands
 * out for direct memory (one per pooled buffer), and reused while the next messages arrive in the same
 * memory, so re-wrapping allocates nothing; a message spread over several buffers (a composite) is copied
 * once into an array this reader keeps.
 *
 * <p>A reader is valid only while its buffer is: it neither retains nor releases it. Reusable: wrap it
 * again for the next message. Not thread-safe.
 */
public final class TeleportReader {

    /** A null string's reference, (NULL_STRING, 0), read as one little-endian long. */
    private static final long NULL_REFERENCE = Integer.toUnsignedLong(TeleportLayout.NULL_STRING);

    /** The longest string decoded through the kept scratch array. */
    static final int SCRATCH_LIMIT = 4096;

    private ByteBuf buf;
    private ByteBuffer memory;
    /** A position in {@link #memory} is the buffer index plus this. */
    private int delta;
    /** The array behind {@link #memory}, or {@code null} when it is native memory. */
    private byte[] array;
    private byte[] cachedArray;
    private ByteBuffer cachedArrayMemory;
    private ByteBuffer cachedNio;
    private ByteBuffer cachedNioMemory;
    private byte[] copy;
    private ByteBuffer copyMemory;
    /** Where strings in native memory are gathered before decoding: one copy, no array per string. */
    private byte[] scratch;
    /** Positions in {@link #memory} of the message start, the string table and the message end. */
    private int base;
    private int blockLength;
    private int version;
    private int stringTable;
    private int end;
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
            throw tooShortForHeader(offset, limit);
        }
        // The header is read through the view too: one mapping, then two plain loads.
        map(buf, offset, limit - offset);
        int at = offset + delta;
        long ids = memory.getLong(at);
        long lengths = memory.getLong(at + TeleportHeader.STRING_TABLE_OFFSET);
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
        this.stringTable = at + (int) table;
        this.end = at + (int) messageLength;
        this.sliced = 0;
    }

    private static TeleportFormatException tooShortForHeader(int offset, int limit) {
        return new TeleportFormatException("a message needs a 16-byte header; " + Math.max(0, limit - offset)
                + " bytes at offset " + offset);
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

    /** Chooses the memory view the message is read through, and how buffer indexes map onto it. */
    private void map(ByteBuf buf, int offset, int length) {
        if (buf.hasArray()) {
            byte[] array = buf.array();
            if (array != cachedArray) {
                cachedArray = array;
                cachedArrayMemory = littleEndian(ByteBuffer.wrap(array));
            }
            use(cachedArrayMemory, array);
            delta = buf.arrayOffset();
        } else if (buf.nioBufferCount() == 1) {
            // Netty hands out the same internal NIO buffer for the same memory (one per pooled buffer, reset
            // when the buffer is reused for other memory), and a ByteBuffer never changes the memory it covers:
            // a view of all of it stays right for every later message arriving in it.
            ByteBuffer nio = buf.internalNioBuffer(offset, length);
            if (nio != cachedNio) {
                cachedNio = nio;
                cachedNioMemory = littleEndian(nio.duplicate().clear());
            }
            use(cachedNioMemory, null);
            delta = nio.position() - offset;
        } else {
            // Only this message, not the rest of the buffer, which may hold many more.
            long declared = buf.getUnsignedIntLE(offset + TeleportHeader.MESSAGE_LENGTH_OFFSET);
            length = (int) Math.min(length, Math.max(TeleportHeader.SIZE, declared));
            if (copy == null || copy.length < length) {
                copy = new byte[Math.max(length, 256)];
                copyMemory = littleEndian(ByteBuffer.wrap(copy));
            }
            buf.getBytes(offset, copy, 0, length);
            use(copyMemory, copy);
            delta = -offset;
        }
    }

    private static ByteBuffer littleEndian(ByteBuffer memory) {
        return memory.order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Stores the view and array to read through only when they changed: a reference store costs a GC write
     * barrier even when it stores the same value, and most messages arrive in the memory of the one before.
     */
    private void use(ByteBuffer memory, byte[] array) {
        if (this.memory != memory) {
            this.memory = memory;
        }
        if (this.array != array) {
            this.array = array;
        }
    }

    /**
     * What views read fields from, at the positions this reader hands out: a little-endian view of the
     * buffer's memory (positions are not buffer indexes). Read it with absolute gets only; its position and
     * limit are not to be changed.
     */
    public ByteBuffer memory() {
        return memory;
    }

    /** The buffer read; strings and byte slices are handed out as slices of it. */
    public ByteBuf buffer() {
        return buf;
    }

    /** Where the root block starts in {@link #memory()}. */
    public int block() {
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
        return end - base;
    }

    // ---- checks, run once by a view's wrap -------------------------------------------------------------

    /**
     * Checks the string reference at {@code refAt} (a {@link #memory()} position) against the string table.
     *
     * @throws TeleportFormatException when it points outside the table, or is malformed UTF-8 and
     *                                 {@link #validateUtf8} is on
     */
    public void checkString(int refAt, String field) {
        long ref = memory.getLong(refAt);
        if (ref == NULL_REFERENCE) {
            return;
        }
        long from = ref & 0xFFFF_FFFFL;
        long length = ref >>> 32;
        if (from + length > end - stringTable) {
            throw stringOutsideTable(field, from, length, end - stringTable);
        }
        if (validateUtf8 && !ByteBufUtil.isText(buf, bufferIndex(stringTable + (int) from), (int) length,
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
    public int checkSlice(int refAt, int elementSize, int elementAlignment, String field) {
        long ref = memory.getLong(refAt);
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
            throw sliceOutsideArea(field, count, elementSize, offset, area - base, stringTable - base);
        }
        sliced += bytes;
        if (sliced > stringTable - area) {
            throw slicesOverlap(field, sliced, stringTable - area);
        }
        return (int) count;
    }

    // The messages of the checks are built apart from them, so that the checks stay small enough for the JIT
    // to inline into a view's wrap.

    private static TeleportFormatException stringOutsideTable(String field, long from, long length, long table) {
        return new TeleportFormatException(field + ": string of " + length + " bytes at " + from
                + " outside the string table of " + table + " bytes");
    }

    private static TeleportFormatException sliceOutsideArea(String field, long count, int elementSize, long offset,
                                                            long areaStart, long areaEnd) {
        return new TeleportFormatException(field + ": slice of " + count + " x " + elementSize
                + " bytes at offset " + offset + " outside the slice area " + areaStart + ".." + areaEnd);
    }

    private static TeleportFormatException slicesOverlap(String field, long sliced, long area) {
        return new TeleportFormatException(field + ": slices overlap (" + sliced + " bytes referenced in a"
                + " slice area of " + area + ")");
    }

    /**
     * Checks that the enum ordinal at {@code at} names one of {@code constants} constants.
     *
     * @throws TeleportFormatException otherwise
     */
    public void checkEnum(int at, int width, int constants, String field) {
        long ordinal = switch (width) {
            case 1 -> Byte.toUnsignedLong(memory.get(at));
            case 2 -> Short.toUnsignedLong(memory.getShort(at));
            default -> Integer.toUnsignedLong(memory.getInt(at));
        };
        if (ordinal >= constants) {
            throw new TeleportFormatException(field + ": enum ordinal " + ordinal + " but there are only "
                    + constants + " constants");
        }
    }

    // ---- reads, unchecked once wrapped -----------------------------------------------------------------

    /** The enum ordinal at {@code at}. */
    public int enumOrdinal(int at, int width) {
        return switch (width) {
            case 1 -> Byte.toUnsignedInt(memory.get(at));
            case 2 -> Short.toUnsignedInt(memory.getShort(at));
            default -> memory.getInt(at);
        };
    }

    /** The string whose reference is at {@code refAt}, decoded; {@code null} for a null string. */
    public String string(int refAt) {
        long ref = memory.getLong(refAt);
        if (ref == NULL_REFERENCE) {
            return null;
        }
        return decode(stringTable + (int) ref, (int) (ref >>> 32));
    }

    /**
     * The string whose reference is at {@code refAt}, in place: {@code into} re-pointed at its bytes (no copy,
     * no allocation); {@code null} for a null string.
     */
    public TeleportString text(int refAt, TeleportString into) {
        long ref = memory.getLong(refAt);
        if (ref == NULL_REFERENCE) {
            return null;
        }
        return into.moveTo(memory, stringTable + (int) ref, (int) (ref >>> 32));
    }

    /** The UTF-8 bytes at {@code from} (a {@link #memory()} position), decoded. */
    String decode(int from, int length) {
        if (array != null) {
            return new String(array, from, length, StandardCharsets.UTF_8);
        }
        byte[] bytes = scratch(length);
        memory.get(from, bytes, 0, length);
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
    public ByteBuf stringBytes(int refAt) {
        long ref = memory.getLong(refAt);
        if (ref == NULL_REFERENCE) {
            return null;
        }
        return bufferSlice(stringTable + (int) ref, (int) (ref >>> 32));
    }

    /** {@code length} bytes from {@code position} (of {@link #memory()}) as a slice of the message buffer. */
    ByteBuf bufferSlice(int position, int length) {
        return buf.slice(bufferIndex(position), length);
    }

    /** Where the first element of the slice referenced at {@code refAt} is, in {@link #memory()}. */
    public int sliceStart(int refAt) {
        return base + memory.getInt(refAt);
    }

    /** How many elements the slice referenced at {@code refAt} has. */
    public int sliceCount(int refAt) {
        return memory.getInt(refAt + 4);
    }

    /** The bytes of the {@code byte[]} slice referenced at {@code refAt}, as a slice of the message. */
    public ByteBuf sliceBytes(int refAt) {
        int count = sliceCount(refAt);
        // An empty slice's offset is never checked, so it must not be used.
        return count == 0 ? Unpooled.EMPTY_BUFFER : bufferSlice(sliceStart(refAt), count);
    }

    private int bufferIndex(int position) {
        return position - delta;
    }
}
