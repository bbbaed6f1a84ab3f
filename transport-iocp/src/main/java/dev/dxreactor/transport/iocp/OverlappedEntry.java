package dev.dxreactor.transport.iocp;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * {@code OVERLAPPED_ENTRY} (32 bytes): one completion packet as {@code GetQueuedCompletionStatusEx} returns
 * it. The dequeue array is the caller's and may be reused at once.
 */
public final class OverlappedEntry {

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("lpCompletionKey"),
            ValueLayout.ADDRESS.withName("lpOverlapped"),
            ValueLayout.JAVA_LONG.withName("Internal"),
            ValueLayout.JAVA_INT.withName("dwNumberOfBytesTransferred"),
            MemoryLayout.paddingLayout(4)).withName("OVERLAPPED_ENTRY");

    public static final long COMPLETION_KEY = 0;
    public static final long OVERLAPPED = 8;
    public static final long INTERNAL = 16;
    public static final long BYTES_TRANSFERRED = 24;
    public static final long SIZE = 32;

    private OverlappedEntry() {
    }

    /** How many entries {@code entries} holds. */
    public static int capacity(MemorySegment entries) {
        return (int) Math.min(Integer.MAX_VALUE, entries.byteSize() / SIZE);
    }

    public static long completionKey(MemorySegment entries, int index) {
        return entries.get(ValueLayout.JAVA_LONG, SIZE * index + COMPLETION_KEY);
    }

    /**
     * The {@code lpOverlapped} value: the address of the operation's OVERLAPPED, or for an AFD poll the
     * ApcContext it was submitted with (the address of its IO_STATUS_BLOCK); for a posted packet, what was
     * posted.
     */
    public static long overlapped(MemorySegment entries, int index) {
        return entries.get(ValueLayout.JAVA_LONG, SIZE * index + OVERLAPPED);
    }

    /** The NTSTATUS of the operation. */
    public static int status(MemorySegment entries, int index) {
        return entries.get(ValueLayout.JAVA_INT, SIZE * index + INTERNAL);
    }

    public static int bytesTransferred(MemorySegment entries, int index) {
        return entries.get(ValueLayout.JAVA_INT, SIZE * index + BYTES_TRANSFERRED);
    }

    /** Writes entry {@code index} (used by the emulated surface, as the kernel does). */
    public static void set(MemorySegment entries, int index, long key, long overlapped, int status, int bytes) {
        long base = SIZE * index;
        entries.set(ValueLayout.JAVA_LONG, base + COMPLETION_KEY, key);
        entries.set(ValueLayout.JAVA_LONG, base + OVERLAPPED, overlapped);
        entries.set(ValueLayout.JAVA_LONG, base + INTERNAL, Integer.toUnsignedLong(status));
        entries.set(ValueLayout.JAVA_INT, base + BYTES_TRANSFERRED, bytes);
        entries.set(ValueLayout.JAVA_INT, base + BYTES_TRANSFERRED + 4, 0);
    }
}
