package dev.dxreactor.transport.afdpoll;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bounded memory that read buffers of one loop come from when {@link AfdPollConfig#readMemoryLimit()} is
 * set. Reads take fixed-size chunks; a chunk comes back when the application releases the buffer, on any
 * thread. When no chunk is left, the socket that wanted one is parked: its read interest stays unarmed (no poll
 * pending for read), so the kernel keeps the data and pushes back on the sender. As chunks come back, parked
 * sockets are re-armed first in, first out, at most {@link AfdPollConfig#rearmBatch()} per loop iteration and
 * no more than there are free chunks, so a freed pool does not wake every socket at once. A re-armed poll is
 * evaluated against the socket's current state, so data that arrived while it was parked is reported at once.
 */
final class ReadMemoryPool {

    private final AfdPollIoHandler handler;
    private final long limit;
    private final int chunk;
    private final int batch;
    private final AtomicLong held = new AtomicLong();
    private final Queue<ByteBuffer> recycled = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<AfdPollRegistration> parked = new ArrayDeque<>();
    private volatile int parkedCount;
    private final Allocator allocator = new Allocator();

    ReadMemoryPool(AfdPollIoHandler handler, long limit, int chunk, int batch) {
        this.handler = handler;
        this.limit = limit;
        this.chunk = chunk;
        this.batch = batch;
    }

    /** A read buffer of one chunk, or {@code null} when the pool is exhausted. Loop thread only. */
    ByteBuf allocate() {
        // Only the loop thread adds, so the check and the add cannot be overtaken by another add.
        if (held.get() + chunk > limit) {
            return null;
        }
        held.addAndGet(chunk);
        ByteBuffer memory = recycled.poll();
        if (memory == null) {
            memory = ByteBuffer.allocateDirect(chunk);
        }
        memory.clear();
        return Allocator.track(new ReadBuffer(allocator, memory, this));
    }

    void recycle(ByteBuffer memory) {
        recycled.offer(memory);
        held.addAndGet(-chunk);
        if (parkedCount > 0) {
            handler.wakeup();
        }
    }

    /** Parks {@code registration} until memory frees. Loop thread only. */
    void park(AfdPollRegistration registration) {
        if (!registration.parked) {
            registration.parked = true;
            parked.add(registration);
            parkedCount = parked.size();
        }
    }

    void forget(AfdPollRegistration registration) {
        if (registration.parked) {
            registration.parked = false;
            parked.remove(registration);
            parkedCount = parked.size();
        }
    }

    /** Re-arms the oldest parked sockets, as many as there are free chunks, at most one batch. Loop thread only. */
    void unparkBatch() {
        if (parked.isEmpty()) {
            return;
        }
        long freeChunks = (limit - held.get()) / chunk;
        int n = (int) Math.min(batch, freeChunks);
        for (int i = 0; i < n && !parked.isEmpty(); i++) {
            AfdPollRegistration registration = parked.poll();
            registration.parked = false;
            registration.changed();
        }
        parkedCount = parked.size();
    }

    long held() {
        return held.get();
    }

    int parkedCount() {
        return parkedCount;
    }

    /** A chunk as a {@link ByteBuf}; capped at the chunk's size so it never grows outside the pool. */
    private static final class ReadBuffer extends UnpooledDirectByteBuf {

        private final ByteBuffer memory;
        private final ReadMemoryPool pool;

        ReadBuffer(Allocator allocator, ByteBuffer memory, ReadMemoryPool pool) {
            super(allocator, memory, memory.capacity());
            this.memory = memory;
            this.pool = pool;
            clear();
        }

        @Override
        protected void deallocate() {
            super.deallocate();
            pool.recycle(memory);
        }
    }

    /** The allocator read buffers name as theirs; also what gives them leak tracking. */
    private static final class Allocator extends AbstractByteBufAllocator {

        Allocator() {
            super(true);
        }

        static ByteBuf track(ByteBuf buffer) {
            return toLeakAwareBuffer(buffer);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            return new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            return new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity);
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }
    }
}
