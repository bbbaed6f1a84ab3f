package dev.dxreactor.transport.iocp.internal;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * The socket locks one emulated call holds: those of the sockets it names and of every socket their pending
 * work reaches ({@link EmuSocket#addRelated}), taken in handle order so that two calls never wait for each
 * other's locks. Port locks ({@code synchronized} on the {@link EmuPort}) are taken only inside these, and hold
 * nothing further, so a dequeue on one port never waits for another port.
 */
final class EmuLocks implements AutoCloseable {

    private static final Comparator<EmuSocket> BY_HANDLE = Comparator.comparingLong(s -> s.handle);

    private final EmuSocket[] held;

    private EmuLocks(EmuSocket[] held) {
        this.held = held;
    }

    /** The lock of {@code s} alone: for calls whose work cannot reach another socket. */
    static EmuLocks only(EmuSocket s) {
        s.lock.lock();
        return new EmuLocks(new EmuSocket[] {s});
    }

    /**
     * The locks of {@code seeds} and of the sockets related to them. The related set is read under the seeds'
     * locks; when it names a socket not yet held, every lock is let go and the larger set taken in order.
     */
    static EmuLocks closure(Collection<EmuSocket> seeds) {
        TreeSet<EmuSocket> want = new TreeSet<>(BY_HANDLE);
        want.addAll(seeds);
        while (true) {
            EmuSocket[] order = want.toArray(EmuSocket[]::new);
            for (EmuSocket s : order) {
                s.lock.lock();
            }
            Set<EmuSocket> related = new HashSet<>();
            for (EmuSocket s : seeds) {
                s.addRelated(related);
            }
            if (want.containsAll(related)) {
                return new EmuLocks(order);
            }
            release(order);
            want.addAll(related);
        }
    }

    private static void release(EmuSocket[] order) {
        for (int i = order.length - 1; i >= 0; i--) {
            order[i].lock.unlock();
        }
    }

    @Override
    public void close() {
        release(held);
    }
}
