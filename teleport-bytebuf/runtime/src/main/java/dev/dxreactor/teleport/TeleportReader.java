package dev.dxreactor.teleport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;

/**
 * One message being read: the buffer, where the message and its string table start, and the block length
 * and version the writer used. A generated view wraps a reader; every view nested in it shares the same one.
 *
 * <p>{@link #wrap} checks the header and the {@code check*} methods check each reference, once, when the
 * view is wrapped; after that the read methods do no checks at all, because every offset they use was
 * proved inside the message. Nothing is copied: strings and byte slices can be read as slices of the
 * message buffer.
 *
 * <p>A reader is valid only while its buffer is: it neither retains nor releases it. Reusable: wrap it
 * again for the next message. Not thread-safe.
 */
public final class TeleportReader {

    private ByteBuf buf;
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
        this.buf = null;
        int limit = buf.writerIndex();
        if (offset < 0 || offset > limit || limit - offset < TeleportHeader.SIZE) {
            throw new TeleportFormatException("a message needs a 16-byte header; "
                    + Math.max(0, limit - offset) + " bytes at offset " + offset);
        }
        int actualTemplate = buf.getUnsignedShortLE(offset + TeleportHeader.TEMPLATE_ID_OFFSET);
        int actualSchema = buf.getUnsignedShortLE(offset + TeleportHeader.SCHEMA_ID_OFFSET);
        if (actualSchema != schemaId || actualTemplate != templateId) {
            throw new TeleportFormatException("message of schema " + actualSchema + ", template " + actualTemplate
                    + "; expected schema " + schemaId + ", template " + templateId);
        }
        long messageLength = buf.getUnsignedIntLE(offset + TeleportHeader.MESSAGE_LENGTH_OFFSET);
        if (messageLength < TeleportHeader.SIZE || messageLength > limit - offset) {
            throw new TeleportFormatException("message length " + messageLength + " but " + (limit - offset)
                    + " bytes are present");
        }
        int block = buf.getUnsignedShortLE(offset + TeleportHeader.BLOCK_LENGTH_OFFSET);
        if (block < minBlockLength || TeleportHeader.SIZE + block > messageLength) {
            throw new TeleportFormatException("block length " + block + " outside " + minBlockLength + ".."
                    + (messageLength - TeleportHeader.SIZE));
        }
        long table = buf.getUnsignedIntLE(offset + TeleportHeader.STRING_TABLE_OFFSET);
        if (table < TeleportHeader.SIZE + block || table > messageLength) {
            throw new TeleportFormatException("string table offset " + table + " outside "
                    + (TeleportHeader.SIZE + block) + ".." + messageLength);
        }
        this.buf = buf;
        this.base = offset;
        this.blockLength = block;
        this.version = buf.getUnsignedShortLE(offset + TeleportHeader.VERSION_OFFSET);
        this.stringTable = offset + (int) table;
        this.end = offset + (int) messageLength;
        this.sliced = 0;
    }

    /** The buffer read; views read their fields straight from it. */
    public ByteBuf buffer() {
        return buf;
    }

    /** Where the root block starts in {@link #buffer()}. */
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
     * Checks the string reference at {@code refAt} (an index in the buffer) against the string table.
     *
     * @throws TeleportFormatException when it points outside the table, or is malformed UTF-8 and
     *                                 {@link #validateUtf8} is on
     */
    public void checkString(int refAt, String field) {
        int offset = buf.getIntLE(refAt);
        long length = buf.getUnsignedIntLE(refAt + 4);
        if (offset == TeleportLayout.NULL_STRING && length == 0) {
            return;
        }
        long from = Integer.toUnsignedLong(offset);
        if (from + length > end - stringTable) {
            throw new TeleportFormatException(field + ": string of " + length + " bytes at " + from
                    + " outside the string table of " + (end - stringTable) + " bytes");
        }
        if (validateUtf8 && !ByteBufUtil.isText(buf, stringTable + offset, (int) length, StandardCharsets.UTF_8)) {
            throw new TeleportFormatException(field + ": string is not well-formed UTF-8");
        }
    }

    /**
     * Checks the slice reference at {@code refAt}: aligned, after the root block, its elements before the
     * string table, and not overlapping other slices (a writer never shares one; a crafted message that
     * does could make validation visit the same elements again and again).
     *
     * @return the number of elements
     * @throws TeleportFormatException when it does not fit in that space
     */
    public int checkSlice(int refAt, int elementSize, int elementAlignment, String field) {
        long offset = buf.getUnsignedIntLE(refAt);
        long count = buf.getUnsignedIntLE(refAt + 4);
        long start = base + offset;
        if (count == 0) {
            return 0;
        }
        long bytes = count * elementSize;
        if (offset % elementAlignment != 0 || start < block() + blockLength || start + bytes > stringTable) {
            throw new TeleportFormatException(field + ": slice of " + count + " x " + elementSize
                    + " bytes at offset " + offset + " outside the slice area "
                    + (block() + blockLength - base) + ".." + (stringTable - base));
        }
        sliced += bytes;
        if (sliced > stringTable - (block() + blockLength)) {
            throw new TeleportFormatException(field + ": slices overlap (" + sliced + " bytes referenced in a"
                    + " slice area of " + (stringTable - (block() + blockLength)) + ")");
        }
        return (int) count;
    }

    /**
     * Checks that the enum ordinal at {@code at} names one of {@code constants} constants.
     *
     * @throws TeleportFormatException otherwise
     */
    public void checkEnum(int at, int width, int constants, String field) {
        long ordinal = switch (width) {
            case 1 -> buf.getUnsignedByte(at);
            case 2 -> buf.getUnsignedShortLE(at);
            default -> buf.getUnsignedIntLE(at);
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
            case 1 -> buf.getUnsignedByte(at);
            case 2 -> buf.getUnsignedShortLE(at);
            default -> buf.getIntLE(at);
        };
    }

    /** The string whose reference is at {@code refAt}, decoded; {@code null} for a null string. */
    public String string(int refAt) {
        int offset = buf.getIntLE(refAt);
        int length = buf.getIntLE(refAt + 4);
        if (offset == TeleportLayout.NULL_STRING && length == 0) {
            return null;
        }
        return buf.toString(stringTable + offset, length, StandardCharsets.UTF_8);
    }

    /**
     * The UTF-8 bytes of the string whose reference is at {@code refAt}, as a slice of the message (no copy,
     * valid while the message buffer is); {@code null} for a null string.
     */
    public ByteBuf stringBytes(int refAt) {
        int offset = buf.getIntLE(refAt);
        int length = buf.getIntLE(refAt + 4);
        if (offset == TeleportLayout.NULL_STRING && length == 0) {
            return null;
        }
        return buf.slice(stringTable + offset, length);
    }

    /** Where the first element of the slice referenced at {@code refAt} is, in the buffer. */
    public int sliceStart(int refAt) {
        return base + buf.getIntLE(refAt);
    }

    /** How many elements the slice referenced at {@code refAt} has. */
    public int sliceCount(int refAt) {
        return buf.getIntLE(refAt + 4);
    }

    /** The bytes of the {@code byte[]} slice referenced at {@code refAt}, as a slice of the message. */
    public ByteBuf sliceBytes(int refAt) {
        int count = sliceCount(refAt);
        // An empty slice's offset is never checked, so it must not be used.
        return count == 0 ? Unpooled.EMPTY_BUFFER : buf.slice(sliceStart(refAt), count);
    }
}
