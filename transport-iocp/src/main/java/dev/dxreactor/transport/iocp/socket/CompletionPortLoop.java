package dev.dxreactor.transport.iocp.socket;

import dev.dxreactor.transport.iocp.OverlappedEntry;
import dev.dxreactor.transport.iocp.WindowsException;
import dev.dxreactor.transport.iocp.WindowsKernel;
import io.netty.channel.IoHandlerContext;
import io.netty.util.concurrent.ThreadAwareExecutor;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * The completion-port side of a Windows event loop, whatever its packets mean: one batch of
 * {@code OVERLAPPED_ENTRY}s removed per dequeue (blocking only until the loop's next deadline, and only when the
 * loop may block), the wakeup packet posted from other threads, and the drain of the packets still owed at
 * shutdown. Every other packet goes to the transport's {@link Packets}.
 */
public final class CompletionPortLoop {

    /** The completion key of the wakeup packet; transports use other keys for their own packets. */
    public static final long WAKEUP_KEY = 1;

    private static final InternalLogger LOG = InternalLoggerFactory.getInstance(CompletionPortLoop.class);
    private static final long DRAIN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final int DRAIN_POLL_MILLIS = 100;

    /** What the transport does with one dequeued packet. */
    @FunctionalInterface
    public interface Packets {
        /**
         * @param overlapped the packet's OVERLAPPED address
         * @return whether the packet did work for a channel (counted for the loop's I/O ratio)
         */
        boolean completed(long overlapped, int status, int bytesTransferred);
    }

    private final ThreadAwareExecutor executor;
    private final WindowsKernel kernel;
    private final long port;
    private final MemorySegment entries;
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private long dequeues;

    /**
     * @param entries room for the {@code OVERLAPPED_ENTRY}s of one dequeue; it stays the caller's, for as long
     *     as this is used
     */
    public CompletionPortLoop(ThreadAwareExecutor executor, WindowsKernel kernel, long port, MemorySegment entries) {
        this.executor = Objects.requireNonNull(executor, "executor");
        this.kernel = kernel;
        this.port = port;
        this.entries = entries;
    }

    /**
     * Removes one batch of packets and hands them to {@code packets}.
     *
     * @param mayBlock whether the transport has nothing due before the next packet
     * @return how many packets did work for a channel
     */
    public int run(IoHandlerContext context, boolean mayBlock, Packets packets) {
        int timeout = mayBlock && context.canBlock() ? timeoutMillis(context) : 0;
        int removed;
        try {
            removed = kernel.dequeue(port, entries, timeout);
        } catch (WindowsException e) {
            LOG.warn("dequeuing from the completion port failed", e);
            return 0;
        }
        dequeues++;
        return dispatch(removed, packets);
    }

    private static int timeoutMillis(IoHandlerContext context) {
        long nanos = context.delayNanos(System.nanoTime());
        if (nanos <= 0) {
            return 0;
        }
        return (int) Math.min(Integer.MAX_VALUE - 1, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999));
    }

    private int dispatch(int removed, Packets packets) {
        int handled = 0;
        for (int i = 0; i < removed; i++) {
            if (OverlappedEntry.completionKey(entries, i) == WAKEUP_KEY) {
                wakeupPending.set(false);
            } else if (packets.completed(OverlappedEntry.overlapped(entries, i), OverlappedEntry.status(entries, i),
                    OverlappedEntry.bytesTransferred(entries, i))) {
                handled++;
            }
        }
        return handled;
    }

    /**
     * Dequeues while {@code outstanding} says packets are still owed, for at most five seconds: memory the kernel
     * may still write is released only after its packet.
     */
    public void drain(BooleanSupplier outstanding, Packets packets) {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT_NANOS;
        while (outstanding.getAsBoolean() && System.nanoTime() < deadline) {
            int removed;
            try {
                removed = kernel.dequeue(port, entries, DRAIN_POLL_MILLIS);
            } catch (WindowsException e) {
                LOG.warn("draining the completion port failed", e);
                return;
            }
            dispatch(removed, packets);
        }
    }

    /** Wakes a loop blocked in {@link #run}; one packet at most is pending at a time. */
    public void wakeup() {
        if (!executor.isExecutorThread(Thread.currentThread()) && wakeupPending.compareAndSet(false, true)) {
            try {
                kernel.post(port, WAKEUP_KEY, 0, 0);
            } catch (WindowsException e) {
                // Only after destroy, when nobody waits on the port any more.
                wakeupPending.set(false);
            }
        }
    }

    /** @throws IllegalStateException when called off the loop thread */
    public void checkInLoop(String operation) {
        if (!executor.isExecutorThread(Thread.currentThread())) {
            throw new IllegalStateException(operation + " must be called on the event loop thread, not "
                    + Thread.currentThread().getName());
        }
    }

    /** Dequeue calls made by {@link #run}; loop thread. */
    public long dequeues() {
        return dequeues;
    }
}
