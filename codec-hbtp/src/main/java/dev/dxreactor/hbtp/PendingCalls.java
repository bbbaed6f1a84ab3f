package dev.dxreactor.hbtp;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The calls of one client connection waiting for their answer, by sequence. A table indexed by the sequence's
 * low bits: a new call takes the next sequence whose entry is free, so an answer finds its call with one array
 * read and one comparison, and a sequence is never given to two calls in flight. The table doubles while more
 * than half full, up to one entry per sequence. Event loop only.
 */
final class PendingCalls {

    private static final int INITIAL_SIZE = 64;
    private static final int SEQUENCES = HbtpHeader.MAX_SEQUENCE + 1;

    private HbtpCallFuture[] table = new HbtpCallFuture[INITIAL_SIZE];
    private int size;
    private int nextSequence;
    /** The in-flight gauge of the client's metrics, kept here where every call enters and leaves; or null. */
    private final LongAdder inFlight;

    PendingCalls() {
        this(null);
    }

    PendingCalls(LongAdder inFlight) {
        this.inFlight = inFlight;
    }

    int size() {
        return size;
    }

    /**
     * Gives {@code call} a sequence no call in flight has, sets it on the call and keeps the call under it.
     *
     * @throws IllegalStateException if every sequence is in flight (a client bounds its calls well below)
     */
    int add(HbtpCallFuture call) {
        if (size >= SEQUENCES) {
            throw new IllegalStateException("all " + SEQUENCES + " sequences are in flight");
        }
        if (2 * size >= table.length && table.length < SEQUENCES) {
            grow();
        }
        int mask = table.length - 1;
        int sequence = nextSequence;
        while (table[sequence & mask] != null) {
            sequence = (sequence + 1) & HbtpHeader.MAX_SEQUENCE;
        }
        table[sequence & mask] = call;
        call.sequence = sequence;
        size++;
        if (inFlight != null) {
            inFlight.increment();
        }
        nextSequence = (sequence + 1) & HbtpHeader.MAX_SEQUENCE;
        return sequence;
    }

    /** The call in flight under {@code sequence}, or {@code null}. */
    HbtpCallFuture get(int sequence) {
        HbtpCallFuture call = table[sequence & (table.length - 1)];
        return call != null && call.sequence == sequence ? call : null;
    }

    /** Forgets and returns the call in flight under {@code sequence}, or {@code null} if there is none. */
    HbtpCallFuture remove(int sequence) {
        int index = sequence & (table.length - 1);
        HbtpCallFuture call = table[index];
        if (call == null || call.sequence != sequence) {
            return null;
        }
        table[index] = null;
        size--;
        if (inFlight != null) {
            inFlight.decrement();
        }
        return call;
    }

    /** A copy of the calls in flight, for going through them while some are removed. */
    List<HbtpCallFuture> snapshot() {
        List<HbtpCallFuture> calls = new ArrayList<>(size);
        for (HbtpCallFuture call : table) {
            if (call != null) {
                calls.add(call);
            }
        }
        return calls;
    }

    void clear() {
        java.util.Arrays.fill(table, null);
        if (inFlight != null) {
            inFlight.add(-size);
        }
        size = 0;
    }

    /**
     * Doubles the table. Sequences with distinct low bits under the old mask keep distinct low bits under the
     * larger one, so every call finds a free entry of its own.
     */
    private void grow() {
        HbtpCallFuture[] larger = new HbtpCallFuture[table.length * 2];
        int mask = larger.length - 1;
        for (HbtpCallFuture call : table) {
            if (call != null) {
                larger[call.sequence & mask] = call;
            }
        }
        table = larger;
    }
}
