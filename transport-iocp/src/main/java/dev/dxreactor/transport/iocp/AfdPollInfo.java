package dev.dxreactor.transport.iocp;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * {@code AFD_POLL_INFO} with its {@code AFD_POLL_HANDLE_INFO} entries: the input and the output of
 * {@code IOCTL_AFD_POLL}. {@code 16 + 16 * n} bytes for {@code n} handles. It belongs to its poll until the
 * poll's completion packet has been dequeued.
 */
public final class AfdPollInfo {

    public static final StructLayout HANDLE_INFO_LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("Handle"),
            ValueLayout.JAVA_INT.withName("Events"),
            ValueLayout.JAVA_INT.withName("Status")).withName("AFD_POLL_HANDLE_INFO");

    /** The header; {@link #layout(int)} appends the handle entries. */
    public static final StructLayout HEADER_LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("Timeout"),
            ValueLayout.JAVA_INT.withName("NumberOfHandles"),
            ValueLayout.JAVA_INT.withName("Exclusive")).withName("AFD_POLL_INFO");

    public static final long TIMEOUT = 0;
    public static final long NUMBER_OF_HANDLES = 8;
    public static final long EXCLUSIVE = 12;
    public static final long HANDLES = 16;
    public static final long HANDLE_INFO_HANDLE = 0;
    public static final long HANDLE_INFO_EVENTS = 8;
    public static final long HANDLE_INFO_STATUS = 12;

    /** {@code Timeout} meaning "never": polls wait until an event, a cancel or a close. */
    public static final long NO_TIMEOUT = Long.MAX_VALUE;

    /** The size of a poll on one handle, what the transports submit. */
    public static final long ONE_HANDLE_SIZE = 32;

    private AfdPollInfo() {
    }

    /** The layout of a poll on {@code handles} sockets. */
    public static StructLayout layout(int handles) {
        if (handles < 1) {
            throw new IllegalArgumentException("an AFD_POLL_INFO names at least one handle, not " + handles);
        }
        return MemoryLayout.structLayout(
                ValueLayout.JAVA_LONG.withName("Timeout"),
                ValueLayout.JAVA_INT.withName("NumberOfHandles"),
                ValueLayout.JAVA_INT.withName("Exclusive"),
                MemoryLayout.sequenceLayout(handles, HANDLE_INFO_LAYOUT).withName("Handles"))
                .withName("AFD_POLL_INFO");
    }

    /** Fills {@code info} for a poll of one socket, never timing out. */
    public static void prepare(MemorySegment info, long socket, int events, boolean exclusive) {
        info.set(ValueLayout.JAVA_LONG, TIMEOUT, NO_TIMEOUT);
        info.set(ValueLayout.JAVA_INT, NUMBER_OF_HANDLES, 1);
        info.set(ValueLayout.JAVA_INT, EXCLUSIVE, exclusive ? 1 : 0);
        info.set(ValueLayout.JAVA_LONG, HANDLES + HANDLE_INFO_HANDLE, socket);
        info.set(ValueLayout.JAVA_INT, HANDLES + HANDLE_INFO_EVENTS, events);
        info.set(ValueLayout.JAVA_INT, HANDLES + HANDLE_INFO_STATUS, 0);
    }

    public static long timeout(MemorySegment info) {
        return info.get(ValueLayout.JAVA_LONG, TIMEOUT);
    }

    /** After completion: how many entries carry events. Zero means none did and {@link #events} is stale input. */
    public static int numberOfHandles(MemorySegment info) {
        return info.get(ValueLayout.JAVA_INT, NUMBER_OF_HANDLES);
    }

    public static boolean exclusive(MemorySegment info) {
        return info.get(ValueLayout.JAVA_INT, EXCLUSIVE) != 0;
    }

    public static long handle(MemorySegment info, int index) {
        return info.get(ValueLayout.JAVA_LONG, HANDLES + 16L * index + HANDLE_INFO_HANDLE);
    }

    public static int events(MemorySegment info, int index) {
        return info.get(ValueLayout.JAVA_INT, HANDLES + 16L * index + HANDLE_INFO_EVENTS);
    }

    /** The NTSTATUS of entry {@code index}, for example the reason of a {@code CONNECT_FAIL}. */
    public static int status(MemorySegment info, int index) {
        return info.get(ValueLayout.JAVA_INT, HANDLES + 16L * index + HANDLE_INFO_STATUS);
    }
}
