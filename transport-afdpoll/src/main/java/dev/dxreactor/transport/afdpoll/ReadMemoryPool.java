package dev.dxreactor.transport.afdpoll;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bounded memory that read buffers of one loop come from when {@link AfdPollConfig#readMemoryLimit()} is
 * set. Reads take fixed-size chunks; a chunk comes back when the application releases the buffer, on any
 * thread. When no chunk is left, or the socket holds {@link AfdPollConfig#readChunksPerConnection()} already,
 * the socket that wanted one is parked: its read interest stays unarmed (no poll pending for read), so the
 * kernel keeps the data and pushes back on the sender. As chunks come back, parked sockets are re-armed first
 * in, first out (one still at its own limit keeps its place until its buffers come back), at most
 * {@link AfdPollConfig#rearmBatch()} per loop iteration and no more than there are free chunks, so a freed pool
 * does not wake every socket at once. While any socket is parked, only a re-armed one whose turn came takes a
 * free chunk (one; it queues again for the next, at the head if the chunk was gone), so a socket still armed
 * cannot overtake the queue: a parked socket waits for one chunk per other socket, not counting what is granted
 * while it holds its own share. A re-armed poll is evaluated against the socket's current state, so data that
 * arrived while it was parked is reported at once.
 */
final class ReadMemoryPool {

    private final AfdPollIoHandler handler;
    private final long limit;
    private final int chunk;
    private final int batch;
    private final int perConnection;
    private final AtomicLong held = new AtomicLong();
    private final Queue<ByteBuffer> recycled = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<AfdPollRegistration> parked = new ArrayDeque<>();
    private volatile int parkedCount;
    /** Chunks handed to reads; loop thread only. */
    private long grants;
    private long longestWait;
    private final Allocator allocator = new Allocator();

    ReadMemoryPool(AfdPollIoHandler handler, long limit, int chunk, int batch, int perConnection) {
        this.handler = handler;
        this.limit = limit;
        this.chunk = chunk;
        this.batch = batch;
        this.perConnection = perConnection;
    }

    /**
     * A read buffer of one chunk for {@code registration}'s socket, or {@code null} when it must park: the pool
     * is exhausted, others wait before it, or it holds its share already. Loop thread only.
     */
    ByteBuf allocate(AfdPollRegistration registration) {
        boolean turn = registration.readTurn;
        registration.readTurn = false;
        // Only the loop thread adds, so the check and the add cannot be overtaken by another add.
        if ((!turn && !parked.isEmpty()) || registration.readChunksHeld.get() >= perConnection
                || held.get() + chunk > limit) {
            registration.readTurnMissed = turn;
            return null;
        }
        held.addAndGet(chunk);
        return grant(registration);
    }

    private ByteBuf grant(AfdPollRegistration registration) {
        if (registration.parkedAtGrant >= 0) {
            longestWait = Math.max(longestWait, grants - registration.parkedAtGrant);
            registration.parkedAtGrant = -1;
        }
        grants++;
        registration.readChunksHeld.incrementAndGet();
        ByteBuffer memory = recycled.poll();
        if (memory == null) {
            memory = ByteBuffer.allocateDirect(chunk);
        }
        memory.clear();
        return Allocator.track(new ReadBuffer(allocator, memory, this, registration));
    }

    void recycle(ByteBuffer memory, AfdPollRegistration owner) {
        recycled.offer(memory);
        owner.readChunksHeld.decrementAndGet();
        held.addAndGet(-chunk);
        if (parkedCount > 0) {
            handler.wakeup();
        }
    }

    /** Parks {@code registration} until memory frees. Loop thread only. */
    void park(AfdPollRegistration registration) {
        if (!registration.parked) {
            registration.parked = true;
            if (registration.parkedAtGrant < 0) {
                registration.parkedAtGrant = grants;
            }
            if (registration.readTurnMissed) {
                registration.readTurnMissed = false;
                parked.addFirst(registration);
            } else {
                parked.add(registration);
            }
            parkedCount = parked.size();
        }
    }

    /** Drops {@code registration} from the queue. Loop thread only. */
    void forget(AfdPollRegistration registration) {
        if (registration.parked) {
            registration.parked = false;
            parked.remove(registration);
            parkedCount = parked.size();
        }
        registration.readTurn = false;
        registration.readTurnMissed = false;
        registration.parkedAtGrant = -1;
    }

    /**
     * Re-arms the oldest parked sockets below their own limit, giving each its turn, as many as there are free
     * chunks, at most one batch. Loop thread only.
     */
    void unparkBatch() {
        if (parked.isEmpty()) {
            return;
        }
        long free = (limit - held.get()) / chunk;
        int n = 0;
        Iterator<AfdPollRegistration> it = parked.iterator();
        while (n < batch && n < free && it.hasNext()) {
            AfdPollRegistration registration = it.next();
            if (registration.readChunksHeld.get() >= perConnection) {
                continue;
            }
            it.remove();
            registration.readTurn = true;
            registration.parked = false;
            registration.changed();
            n++;
        }
        parkedCount = parked.size();
    }

    /** The most chunks granted to others between a socket parking and its own next chunk. Loop thread only. */
    long longestWait() {
        return longestWait;
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
        private final AfdPollRegistration owner;

        ReadBuffer(Allocator allocator, ByteBuffer memory, ReadMemoryPool pool, AfdPollRegistration owner) {
            super(allocator, memory, memory.capacity());
            this.memory = memory;
            this.pool = pool;
            this.owner = owner;
            clear();
        }

        @Override
        protected void deallocate() {
            super.deallocate();
            pool.recycle(memory, owner);
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
