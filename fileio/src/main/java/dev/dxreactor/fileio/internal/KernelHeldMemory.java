package dev.dxreactor.fileio.internal;

import io.netty.buffer.ByteBuf;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Buffers a request gave the kernel and never got back: its loop ended before the completion came, so the kernel
 * may still read or write them (io_uring finishes a ring's requests after the ring is closed, and nobody is told
 * when). Freeing them could let the kernel write into memory already given to someone else; they are kept for
 * the life of the process instead. Only a loop ended with requests still running puts anything here.
 */
final class KernelHeldMemory {

    private static final Queue<ByteBuf> KEPT = new ConcurrentLinkedQueue<>();

    private KernelHeldMemory() {
    }

    /** Keeps {@code buffer} (one reference of it) for good; {@code null} is ignored. */
    static void keep(ByteBuf buffer) {
        if (buffer != null) {
            KEPT.add(buffer);
        }
    }

    /** How many buffers are kept, for tests. */
    static int kept() {
        return KEPT.size();
    }
}
