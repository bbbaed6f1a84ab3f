package dev.dxreactor.transport.iocp;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * {@code OVERLAPPED} (32 bytes). After completion {@code Internal} holds the NTSTATUS and
 * {@code InternalHigh} the bytes transferred. It belongs to its operation until the operation's completion
 * packet has been dequeued (or until it completed inline with skip-port-on-success).
 */
public final class Overlapped {

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("Internal"),
            ValueLayout.JAVA_LONG.withName("InternalHigh"),
            ValueLayout.JAVA_INT.withName("Offset"),
            ValueLayout.JAVA_INT.withName("OffsetHigh"),
            ValueLayout.ADDRESS.withName("hEvent")).withName("OVERLAPPED");

    public static final long INTERNAL = 0;
    public static final long INTERNAL_HIGH = 8;
    public static final long OFFSET = 16;
    public static final long OFFSET_HIGH = 20;
    public static final long H_EVENT = 24;

    private Overlapped() {
    }

    /** Zeroes the structure, as every submission needs. */
    public static void reset(MemorySegment overlapped) {
        overlapped.asSlice(0, LAYOUT.byteSize()).fill((byte) 0);
    }

    /**
     * The file position of a {@code ReadFile}/{@code WriteFile}: the low 32 bits in {@code Offset}, the high ones
     * in {@code OffsetHigh}, so that positions past 4 GiB are reached.
     */
    public static void setOffset(MemorySegment overlapped, long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("a file offset is >= 0, not " + offset);
        }
        overlapped.set(ValueLayout.JAVA_INT, OFFSET, (int) offset);
        overlapped.set(ValueLayout.JAVA_INT, OFFSET_HIGH, (int) (offset >>> 32));
    }

    /** The file position {@link #setOffset} wrote. */
    public static long offset(MemorySegment overlapped) {
        return Integer.toUnsignedLong(overlapped.get(ValueLayout.JAVA_INT, OFFSET))
                | Integer.toUnsignedLong(overlapped.get(ValueLayout.JAVA_INT, OFFSET_HIGH)) << 32;
    }

    /** The NTSTATUS of the completed operation. */
    public static int status(MemorySegment overlapped) {
        return overlapped.get(ValueLayout.JAVA_INT, INTERNAL);
    }

    /** Bytes transferred by the completed operation. */
    public static long bytes(MemorySegment overlapped) {
        return overlapped.get(ValueLayout.JAVA_LONG, INTERNAL_HIGH);
    }

    /** Writes a completion (used by the emulated surface, as the kernel does). */
    public static void complete(MemorySegment overlapped, int status, long bytes) {
        overlapped.set(ValueLayout.JAVA_LONG, INTERNAL, Integer.toUnsignedLong(status));
        overlapped.set(ValueLayout.JAVA_LONG, INTERNAL_HIGH, bytes);
    }
}
