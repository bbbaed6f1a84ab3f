package dev.dxreactor.fileio.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The handle limit of one loop of a loop-based backend: {@code maxOpenFiles} slots, each held by one request from
 * its start to its end, the requests waiting for a slot in arrival order, the batches this loop shares with the other
 * loops, and the files open now and at most. Used on the loop only, but for the two counts, which any thread may read.
 *
 * @param <O> the backend's file operation
 */
final class FileSlots<O> {

    /**
     * Requests of shared batches this loop runs at once at most. Enough for one {@code io_uring_enter} (or dequeue)
     * to carry a hundred requests, few enough that a loop that stalls holds up no more than that of a batch.
     */
    static final int SHARED_WINDOW = 128;

    private final Object[] slots;
    private final int[] free;
    private int freeCount;
    private final ArrayDeque<O> waiting = new ArrayDeque<>();
    private final ArrayDeque<SharedBatch<O>> shared = new ArrayDeque<>();
    private int active;
    private boolean starting;
    private volatile int open;
    private volatile int peak;

    FileSlots(int maxOpenFiles) {
        this.slots = new Object[maxOpenFiles];
        this.free = new int[maxOpenFiles];
        for (int i = 0; i < maxOpenFiles; i++) {
            free[i] = maxOpenFiles - 1 - i;
        }
        this.freeCount = maxOpenFiles;
    }

    boolean hasFree() {
        return freeCount > 0;
    }

    /** Gives {@code op} a free slot (there must be one) and returns its index. */
    int take(O op) {
        int slot = free[--freeCount];
        slots[slot] = op;
        active++;
        return slot;
    }

    /** The request holding {@code slot}, or {@code null}. */
    @SuppressWarnings("unchecked")
    O at(int slot) {
        return (O) slots[slot];
    }

    /** Frees {@code slot}. */
    void release(int slot) {
        slots[slot] = null;
        free[freeCount++] = slot;
        active--;
    }

    /** Requests holding a slot. */
    int active() {
        return active;
    }

    /** Every request holding a slot now, the slots left as they are. */
    List<O> holders() {
        List<O> holders = new ArrayList<>(active);
        for (int i = 0; i < slots.length; i++) {
            O op = at(i);
            if (op != null) {
                holders.add(op);
            }
        }
        return holders;
    }

    /** Empties every slot (the loop is gone) and returns the requests that held one. */
    List<O> clear() {
        List<O> holders = holders();
        for (int i = 0; i < slots.length; i++) {
            slots[i] = null;
        }
        return holders;
    }

    void await(O op) {
        waiting.add(op);
    }

    /** Claims from {@code batch} whenever this loop has room, after the requests queued before it. */
    void share(SharedBatch<O> batch) {
        shared.add(batch);
    }

    /**
     * The longest-waiting request, else the next one claimed from a shared batch while fewer than
     * {@link #SHARED_WINDOW} requests run here, or {@code null}.
     */
    O nextWaiting() {
        O op = waiting.poll();
        if (op != null || active >= SHARED_WINDOW) {
            return op;
        }
        SharedBatch<O> batch;
        while ((batch = shared.peek()) != null) {
            op = batch.claim();
            if (op != null) {
                return op;
            }
            shared.poll();
        }
        return null;
    }

    /**
     * Starts waiting requests with {@code start} while a slot is free. A request that ends inside {@code start} (a
     * path too long, say) frees its slot again; the loop here, not a nested call, starts the next one, so a batch of
     * such requests cannot grow the stack.
     */
    void startWaiting(Consumer<O> start) {
        if (starting) {
            return;
        }
        starting = true;
        try {
            O op;
            while (hasFree() && (op = nextWaiting()) != null) {
                start.accept(op);
            }
        } finally {
            starting = false;
        }
    }

    /** Every request still waiting here, and every one left unclaimed in the shared batches, for abandoning. */
    List<O> drainWaiting() {
        List<O> drained = new ArrayList<>(waiting);
        waiting.clear();
        SharedBatch<O> batch;
        while ((batch = shared.poll()) != null) {
            O op;
            while ((op = batch.claim()) != null) {
                drained.add(op);
            }
        }
        return drained;
    }

    void fileOpened() {
        int now = open + 1;
        open = now;
        if (now > peak) {
            peak = now;
        }
    }

    void fileClosed() {
        open = open - 1;
    }

    int openFiles() {
        return open;
    }

    int peakOpenFiles() {
        return peak;
    }
}
