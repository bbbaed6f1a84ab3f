package dev.dxreactor.transport.iocp;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/** {@code WSABUF} (16 bytes): one buffer of a gathering send or a scattering receive. */
public final class WsaBuf {

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("len"),
            MemoryLayout.paddingLayout(4),
            ValueLayout.ADDRESS.withName("buf")).withName("WSABUF");

    public static final long LEN = 0;
    public static final long BUF = 8;
    public static final long SIZE = 16;

    private WsaBuf() {
    }

    /** Points entry {@code index} of {@code bufs} at {@code buffer}. */
    public static void set(MemorySegment bufs, int index, MemorySegment buffer) {
        if (buffer.byteSize() > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("a WSABUF holds at most 4 GiB, not " + buffer.byteSize());
        }
        bufs.set(ValueLayout.JAVA_INT, SIZE * index + LEN, (int) buffer.byteSize());
        bufs.set(ValueLayout.ADDRESS, SIZE * index + BUF, buffer);
    }

    public static long length(MemorySegment bufs, int index) {
        return Integer.toUnsignedLong(bufs.get(ValueLayout.JAVA_INT, SIZE * index + LEN));
    }

    public static long address(MemorySegment bufs, int index) {
        return bufs.get(ValueLayout.ADDRESS, SIZE * index + BUF).address();
    }
}
