package dev.dxreactor.fileio.internal;

import io.netty.buffer.ByteBuf;

import java.lang.foreign.MemorySegment;

/** Native addresses of buffers the kernel reads or writes. */
final class NativeMemory {

    private NativeMemory() {
    }

    /**
     * The native address of {@code buf} at {@code index}, valid while {@code buf} is alive, or {@code -1} when the
     * buffer is not one contiguous block of native memory.
     */
    static long address(ByteBuf buf, int index) {
        if (buf.hasMemoryAddress()) {
            return buf.memoryAddress() + index;
        }
        if (!buf.isDirect() || buf.nioBufferCount() != 1 || buf.capacity() == index) {
            return -1;
        }
        // Without Unsafe Netty does not expose the address; the JDK gives it for the buffer's NIO view.
        return MemorySegment.ofBuffer(buf.internalNioBuffer(index, buf.capacity() - index)).address();
    }
}
