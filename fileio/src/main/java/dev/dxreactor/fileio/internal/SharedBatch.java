package dev.dxreactor.fileio.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A batch's requests offered to every loop of a backend at once: each loop claims the next request whenever it has
 * room, so a loop that is busy with sockets, or not scheduled at all on a loaded machine, leaves the rest of the batch
 * to the others instead of holding it up with a fixed share. Every request is claimed by exactly one loop, which
 * also makes it: the caller's thread only counts the batch, and the loops start at once.
 *
 * @param <O> the backend's file operation
 */
final class SharedBatch<O> {

    private final int size;
    private final IntFunction<O> requestAt;
    private final AtomicInteger next = new AtomicInteger();

    /** {@code requestAt} makes the request of an index, on the loop that claims it; it must not throw. */
    SharedBatch(int size, IntFunction<O> requestAt) {
        this.size = size;
        this.requestAt = requestAt;
    }

    /** The next unclaimed request, now the caller's, or {@code null} when every one has been claimed. */
    O claim() {
        if (next.get() >= size) {
            return null;
        }
        int index = next.getAndIncrement();
        return index < size ? requestAt.apply(index) : null;
    }
}
