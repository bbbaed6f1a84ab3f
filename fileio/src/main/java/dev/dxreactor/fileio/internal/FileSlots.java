package dev.dxreactor.fileio.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The handle limit of one loop of a loop-based backend: {@code maxOpenFiles} slots, each held by one request from
 * its start to its end, the requests waiting for a slot in arrival order, and the files open now and at most.
 * Used on the loop only, but for the two counts, which any thread may read.
 *
 * @param <O> the backend's file operation
 */
final class FileSlots<O> {

    private final Object[] slots;
    private final int[] free;
    private int freeCount;
    private final ArrayDeque<O> waiting = new ArrayDeque<>();
    private int active;
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

    /** The longest-waiting request, or {@code null}. */
    O nextWaiting() {
        return waiting.poll();
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
