package dev.dxreactor.transport.afdpoll;

import dev.dxreactor.transport.iocp.AfdPollInfo;
import dev.dxreactor.transport.iocp.IoStatusBlock;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;

/**
 * The memory of polls: one block per registration, an {@code IO_STATUS_BLOCK} followed by an
 * {@code AFD_POLL_INFO} for one socket. Blocks are carved from chunks of one arena per loop, so registering a
 * channel allocates nothing native. A block comes back only when no packet of its poll is owed any more (rule 2
 * of the design: the kernel writes it at completion, also after a cancel or a close).
 */
final class PollBlocks {

    static final long IO_STATUS_BLOCK_SIZE = IoStatusBlock.LAYOUT.byteSize();
    static final long SIZE = IO_STATUS_BLOCK_SIZE + AfdPollInfo.ONE_HANDLE_SIZE;

    private static final int BLOCKS_PER_CHUNK = 64;

    private final Arena arena = Arena.ofShared();
    private final ArrayDeque<MemorySegment> free = new ArrayDeque<>();
    private int inUse;

    MemorySegment take() {
        if (free.isEmpty()) {
            MemorySegment chunk = arena.allocate(SIZE * BLOCKS_PER_CHUNK, 8);
            for (int i = 0; i < BLOCKS_PER_CHUNK; i++) {
                free.add(chunk.asSlice(SIZE * i, SIZE));
            }
        }
        inUse++;
        return free.poll();
    }

    void give(MemorySegment block) {
        inUse--;
        free.push(block);
    }

    static MemorySegment ioStatusBlock(MemorySegment block) {
        return block.asSlice(0, IO_STATUS_BLOCK_SIZE);
    }

    static MemorySegment pollInfo(MemorySegment block) {
        return block.asSlice(IO_STATUS_BLOCK_SIZE, AfdPollInfo.ONE_HANDLE_SIZE);
    }

    /** Blocks owned by a registration or by a poll whose packet has not been dequeued. */
    int inUse() {
        return inUse;
    }

    /** Frees every chunk; only when no block is in use, else the memory is kept (a late packet may still write it). */
    boolean release() {
        if (inUse != 0) {
            return false;
        }
        arena.close();
        return true;
    }
}
