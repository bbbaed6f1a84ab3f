package dev.dxreactor.transport.iocp.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * An emulated completion port: the packet queue, a wakeup eventfd, and the readiness of the sockets whose
 * operations complete here as one epoll set, so that a dequeue looks only at sockets that changed.
 * Guarded by its own monitor, except {@link #await}, which only blocks; the monitor is a leaf (nothing else is
 * locked while it is held).
 */
final class EmuPort {

    /** A completion packet; {@code memory} is the operation's (null for posted packets). */
    static final class Packet {
        final long key;
        final long overlapped;
        final int status;
        final int bytes;
        final MemorySegment memory;
        final String operation;
        int hold;

        Packet(long key, long overlapped, int status, int bytes, MemorySegment memory, String operation) {
            this.key = key;
            this.overlapped = overlapped;
            this.status = status;
            this.bytes = bytes;
            this.memory = memory;
            this.operation = operation;
        }
    }

    /** epoll data of the eventfd; socket handles start well above it. */
    static final long WAKEUP = 0;
    /** Sockets looked at per dequeue pass; the rest stay ready (level-triggered) for the next pass. */
    static final int READY_BATCH = 512;

    final long handle;
    final int eventFd;
    final int epollFd;
    /** NumberOfConcurrentThreads: recorded only; the emulation lets every dequeuing thread run. */
    final int concurrency;
    final ArrayDeque<Packet> packets = new ArrayDeque<>();
    /**
     * Sockets with operations pending that complete here, and the epoll events each is registered for
     * (0: watched but not in the epoll set yet).
     */
    final Map<EmuSocket, Integer> watched = new HashMap<>();
    /** Watched sockets to look at on the next dequeue whatever epoll says: new work, or touched by a call. */
    final Set<EmuSocket> dirty = new LinkedHashSet<>();
    /** Watched sockets signalled while nothing on them could move: looked at again on every dequeue pass. */
    final Set<EmuSocket> parked = new LinkedHashSet<>();
    /** Threads blocked in {@link #await}; a wakeup is written only when there is one. */
    int waiters;
    /** Work outside the watched sockets (a file transfer) was submitted: the next pass runs it before any wait. */
    boolean kicked;
    /** Written under the monitor; read without it to refuse a closed port early. */
    volatile boolean closed;
    private final MemorySegment ready;
    private final MemorySegment one;
    private final MemorySegment control;
    private final MemorySegment eventFdValue;
    /** The 1 that {@link #wake} writes to the eventfd. */
    private final MemorySegment one64;

    EmuPort(long handle, int eventFd, int epollFd, int concurrency) {
        this.handle = handle;
        this.eventFd = eventFd;
        this.epollFd = epollFd;
        this.concurrency = concurrency;
        // Automatic: a dequeue blocked outside the lock may still use them while another thread closes the port.
        Arena arena = Arena.ofAuto();
        ready = arena.allocate(Libc.EPOLL_EVENT_SIZE * READY_BATCH, 8);
        one = arena.allocate(Libc.EPOLL_EVENT_SIZE, 8);
        control = arena.allocate(Libc.EPOLL_EVENT_SIZE, 8);
        eventFdValue = arena.allocate(ValueLayout.JAVA_LONG);
        one64 = arena.allocate(ValueLayout.JAVA_LONG);
        one64.set(ValueLayout.JAVA_LONG, 0, 1);
    }

    /** Creates the port's epoll set with its eventfd in it; -1 (errno set) on failure. */
    static int newEpoll(int eventFd) {
        int epollFd = Libc.epollCreate(Libc.EPOLL_CLOEXEC);
        if (epollFd < 0) {
            return -1;
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment event = a.allocate(Libc.EPOLL_EVENT_SIZE, 8);
            setEvent(event, Libc.EPOLLIN, WAKEUP);
            if (Libc.epollCtl(epollFd, Libc.EPOLL_CTL_ADD, eventFd, event) != 0) {
                Libc.close(epollFd);
                return -1;
            }
        }
        return epollFd;
    }

    private static void setEvent(MemorySegment event, int events, long data) {
        event.set(ValueLayout.JAVA_INT, 0, events);
        event.set(ValueLayout.JAVA_LONG_UNALIGNED, Libc.EPOLL_DATA_OFFSET, data);
    }

    /**
     * Interest in {@code events} of {@code s}, never 0. Level-triggered while an operation
     * waits for a condition (it is looked at for as long as the condition holds); edge-triggered
     * ({@link Libc#EPOLLET}) for a parked socket, signalled while nothing on it can move, so that the condition
     * it cannot use does not wake a blocked dequeue again and again: only a change of its state does (each
     * dequeue pass looks at parked sockets anyway).
     */
    void interest(EmuSocket s, int events) {
        if (closed) {
            return;
        }
        Integer registered = watched.get(s);
        int before = registered == null ? 0 : registered;
        if (before == events) {
            return;
        }
        watched.put(s, events);
        setEvent(control, events, s.handle);
        int op = before == 0 ? Libc.EPOLL_CTL_ADD : Libc.EPOLL_CTL_MOD;
        if (Libc.epollCtl(epollFd, op, s.fd, control) != 0) {
            int errno = Libc.errno();
            // The set may disagree after the socket's descriptor was replaced (AcceptEx) or closed and reused.
            if (errno == Libc.EEXIST) {
                Libc.epollCtl(epollFd, Libc.EPOLL_CTL_MOD, s.fd, control);
            } else if (errno == Libc.ENOENT) {
                Libc.epollCtl(epollFd, Libc.EPOLL_CTL_ADD, s.fd, control);
            }
        }
    }

    /** Stops watching {@code s}; its descriptor is left alone when {@code fdGone} (closed or replaced). */
    void unwatch(EmuSocket s, boolean fdGone) {
        Integer registered = watched.remove(s);
        dirty.remove(s);
        parked.remove(s);
        if (registered != null && registered != 0 && !fdGone && !closed) {
            Libc.epollCtl(epollFd, Libc.EPOLL_CTL_DEL, s.fd, MemorySegment.NULL);
        }
    }

    /**
     * The epoll data of up to {@link #READY_BATCH} ready entries, without waiting; the eventfd, when among
     * them, is drained and left out.
     */
    long[] ready() {
        int n = Libc.epollWait(epollFd, ready, READY_BATCH, 0);
        if (n <= 0) {
            return new long[0];
        }
        long[] data = new long[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            long d = ready.get(ValueLayout.JAVA_LONG_UNALIGNED, Libc.EPOLL_EVENT_SIZE * i + Libc.EPOLL_DATA_OFFSET);
            if (d == WAKEUP) {
                Libc.read(eventFd, eventFdValue, 8);
            } else {
                data[count++] = d;
            }
        }
        return count == n ? data : java.util.Arrays.copyOf(data, count);
    }

    /** Blocks until something in the set is ready or the time is up (-1: no limit). Called without the lock. */
    void await(int timeoutMillis) {
        Libc.epollWait(epollFd, one, 1, timeoutMillis);
    }

    /** Called under the monitor. */
    void wake() {
        if (closed || waiters == 0) {
            return;
        }
        Libc.write(eventFd, one64, 8);
    }
}
