package dev.dxreactor.transport.iocp;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * {@code IO_STATUS_BLOCK} (16 bytes): the status and byte count of a completed {@code Nt*} operation. It
 * belongs to its operation until the operation's completion packet has been dequeued.
 */
public final class IoStatusBlock {

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("Status"),
            ValueLayout.JAVA_LONG.withName("Information")).withName("IO_STATUS_BLOCK");

    public static final long STATUS = 0;
    public static final long INFORMATION = 8;

    private IoStatusBlock() {
    }

    /** The NTSTATUS (the low 32 bits of the Status/Pointer union). */
    public static int status(MemorySegment iosb) {
        return iosb.get(ValueLayout.JAVA_INT, STATUS);
    }

    public static long information(MemorySegment iosb) {
        return iosb.get(ValueLayout.JAVA_LONG, INFORMATION);
    }

    /** Sets the status to {@code STATUS_PENDING} and clears Information, as before a submission. */
    public static void reset(MemorySegment iosb) {
        iosb.set(ValueLayout.JAVA_LONG, STATUS, NtStatus.PENDING);
        iosb.set(ValueLayout.JAVA_LONG, INFORMATION, 0);
    }

    /** Writes a completion (used by the emulated surface, as the kernel does). */
    public static void complete(MemorySegment iosb, int status, long information) {
        iosb.set(ValueLayout.JAVA_LONG, STATUS, Integer.toUnsignedLong(status));
        iosb.set(ValueLayout.JAVA_LONG, INFORMATION, information);
    }
}
