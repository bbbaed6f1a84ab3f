package dev.dxreactor.teleport;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Where the fields of one type sit in its block: each at the next offset that is a multiple of its
 * alignment, in declaration order (never reordered, so that appending a field keeps every earlier offset).
 * The block length is the end of the last field; blocks laid side by side (inline, or in a slice) are
 * {@link #stride()} apart, the block length rounded up to the type's alignment.
 *
 * <p>The annotation processor computes layouts with this class, and each generated {@code XxxLayout}
 * exposes the result as {@code LAYOUT}.
 *
 * <p>Sizes and alignments: {@code boolean}, {@code byte} 1; {@code short}, {@code char} 2; {@code int},
 * {@code float} 4; {@code long}, {@code double} 8; enums the smallest of 1, 2, 4 bytes that numbers their
 * constants; strings and slices a {@value #REFERENCE_SIZE}-byte reference (u32 offset, u32 length or count)
 * aligned to 4; a nested type its stride, aligned to its alignment.
 */
public final class TeleportLayout {

    /** A string or slice reference: u32 offset and u32 length (strings) or count (slices). */
    public static final int REFERENCE_SIZE = 8;
    public static final int REFERENCE_ALIGNMENT = 4;
    /** The offset a null string's reference holds (with length 0). */
    public static final int NULL_STRING = -1;

    /** One field: its name, offset from the start of the block, size and alignment in bytes. */
    public record Field(String name, int offset, int size, int alignment) {
    }

    private final List<Field> fields;
    private final int blockLength;
    private final int alignment;

    private TeleportLayout(List<Field> fields, int blockLength, int alignment) {
        this.fields = Collections.unmodifiableList(fields);
        this.blockLength = blockLength;
        this.alignment = alignment;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Bytes from the block start to the end of the last field. */
    public int blockLength() {
        return blockLength;
    }

    /** The largest alignment of any field; at least 1. */
    public int alignment() {
        return alignment;
    }

    /** Distance between consecutive blocks of this type. */
    public int stride() {
        return align(blockLength, alignment);
    }

    public List<Field> fields() {
        return fields;
    }

    /** @throws IllegalArgumentException when there is no such field */
    public int offset(String name) {
        for (Field f : fields) {
            if (f.name().equals(name)) {
                return f.offset();
            }
        }
        throw new IllegalArgumentException("no field " + name + " in " + this);
    }

    /** {@code offset} rounded up to a multiple of {@code alignment} (a power of two). */
    public static int align(int offset, int alignment) {
        return (offset + alignment - 1) & -alignment;
    }

    /** Bytes an enum with {@code constants} constants is stored in: 1, 2 or 4. */
    public static int enumWidth(int constants) {
        return constants <= 1 << 8 ? 1 : constants <= 1 << 16 ? 2 : 4;
    }

    @Override
    public String toString() {
        return "TeleportLayout" + fields + ", blockLength " + blockLength + ", alignment " + alignment;
    }

    /** Adds fields in declaration order. */
    public static final class Builder {
        private final List<Field> fields = new ArrayList<>();
        private int end;
        private int alignment = 1;

        private Builder() {
        }

        /**
         * Places the next field and returns its offset.
         *
         * @throws IllegalArgumentException for a size below 1 or an alignment that is not 1, 2, 4 or 8
         */
        public int add(String name, int size, int alignment) {
            if (size < 1 || Integer.bitCount(alignment) != 1 || alignment > 8) {
                throw new IllegalArgumentException("field " + name + ": size " + size + ", alignment " + alignment
                        + " (need size >= 1 and alignment 1, 2, 4 or 8)");
            }
            int offset = align(end, alignment);
            fields.add(new Field(name, offset, size, alignment));
            end = offset + size;
            this.alignment = Math.max(this.alignment, alignment);
            return offset;
        }

        public TeleportLayout build() {
            return new TeleportLayout(new ArrayList<>(fields), end, alignment);
        }
    }
}
