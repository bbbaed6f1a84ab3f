package dev.dxreactor.fileio.internal;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A batch's requests offered to every loop of a backend at once: each loop claims the next request whenever it has
 * room, so a loop that is busy with sockets, or not scheduled at all on a loaded machine, leaves the rest of the batch
 * to the others instead of holding it up with a fixed share. Every request is claimed by exactly one loop.
 *
 * @param <O> the backend's file operation
 */
final class SharedBatch<O> {

    private final List<O> ops;
    private final AtomicInteger next = new AtomicInteger();

    SharedBatch(List<O> ops) {
        this.ops = ops;
    }

    /** The next unclaimed request, now the caller's, or {@code null} when every one has been claimed. */
    O claim() {
        if (next.get() >= ops.size()) {
            return null;
        }
        int index = next.getAndIncrement();
        return index < ops.size() ? ops.get(index) : null;
    }
}
