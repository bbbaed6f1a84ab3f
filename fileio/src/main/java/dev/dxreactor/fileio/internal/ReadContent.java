package dev.dxreactor.fileio.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * How a loop-based backend hands over the buffer a read filled. The io_uring backend reads a whole file into a buffer
 * of the size its loop's {@link FirstReadSize} gives before it knows the file's size, so a small file can leave most
 * of it empty. Copying the file into an exact-size buffer costs about as much user time as the kernel's own copy from
 * the page cache (for 4 KiB files it was the largest user-space item of a warm batch's profile), so the buffer is
 * handed over as it is while the file fills at least a quarter of it: at most three quarters of a buffer stay unused,
 * and only smaller files are copied, which for a first read of 16 KiB means at most 4 KiB.
 */
final class ReadContent {

    /** A buffer at most this many times its content is handed over without a copy. */
    static final int MAX_SLACK_FACTOR = 4;

    private ReadContent() {
    }

    /**
     * The caller's buffer holding the {@code length} bytes at the start of {@code read}, which this takes over.
     *
     * @param foreign whether {@code read} comes from another allocator than {@code alloc} (a staging copy), so the
     *                caller must get a copy from its own allocator whatever the size
     */
    static ByteBuf handOver(ByteBuf read, int length, ByteBufAllocator alloc, boolean foreign) {
        if (!foreign && read.capacity() <= (long) MAX_SLACK_FACTOR * length) {
            return read.writerIndex(length);
        }
        ByteBuf content = foreign ? alloc.buffer(length) : alloc.directBuffer(length);
        try {
            content.writeBytes(read, 0, length);
        } finally {
            read.release();
        }
        return content;
    }
}
