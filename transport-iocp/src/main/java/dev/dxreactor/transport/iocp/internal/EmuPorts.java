package dev.dxreactor.transport.iocp.internal;

import dev.dxreactor.transport.iocp.NtStatus;
import dev.dxreactor.transport.iocp.Overlapped;
import dev.dxreactor.transport.iocp.OverlappedEntry;
import dev.dxreactor.transport.iocp.Win32Error;
import dev.dxreactor.transport.iocp.WindowsException;
import dev.dxreactor.transport.iocp.Winsock;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Completion ports: creation, association, dequeue, post, close, and the delivery of completions (writing an
 * operation's results into its memory, after checking it is alive, and queueing its packet).
 *
 * <p>Each port's state is guarded by the port's own monitor; a dequeue takes it only to read epoll's ready list
 * and to remove packets, and moves each ready socket forward under that socket's locks ({@link EmuLocks}), so
 * dequeues on different ports run side by side. Completions of a socket's work are made by whichever thread
 * holds its locks (a dequeue, or the call that submitted, cancelled or closed).
 */
final class EmuPorts {

    private final EmuHandles handles;
    private final EmuFaults faults;
    /** Work a dequeue does first on every pass, with no lock held (the file transfers pending on the port). */
    private final LongConsumer beforePass;
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());

    EmuPorts(EmuHandles handles, EmuFaults faults) {
        this(handles, faults, port -> {
        });
    }

    EmuPorts(EmuHandles handles, EmuFaults faults, LongConsumer beforePass) {
        this.handles = handles;
        this.faults = faults;
        this.beforePass = beforePass;
    }

    List<String> violations() {
        return List.copyOf(violations);
    }

    long create(int concurrency) throws WindowsException {
        if (concurrency < 0) {
            throw new IllegalArgumentException("completion port concurrency must be >= 0, not " + concurrency);
        }
        int eventFd = Libc.eventfd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
        if (eventFd < 0) {
            throw WindowsException.win32("CreateIoCompletionPort", Win32Error.ERROR_NO_SYSTEM_RESOURCES);
        }
        int epollFd = EmuPort.newEpoll(eventFd);
        if (epollFd < 0) {
            Libc.close(eventFd);
            throw WindowsException.win32("CreateIoCompletionPort", Win32Error.ERROR_NO_SYSTEM_RESOURCES);
        }
        return handles.add(handle -> new EmuPort(handle, eventFd, epollFd, concurrency));
    }

    void associate(long handle, long port, long key) throws WindowsException {
        EmuPort target = handles.port("CreateIoCompletionPort", port);
        Object object = handles.get(handle);
        if (object instanceof EmuSocket s) {
            try (EmuLocks held = EmuLocks.only(s)) {
                if (s.port == null && !s.closed) {
                    s.key = key;
                    s.port = target;
                    return;
                }
            }
        } else if (object instanceof EmuHelper h) {
            synchronized (h.carried) {
                if (h.port == null) {
                    h.key = key;
                    h.port = target;
                    return;
                }
            }
        }
        throw WindowsException.win32("CreateIoCompletionPort", Win32Error.ERROR_INVALID_PARAMETER);
    }

    void setNotificationModes(long handle, int flags) throws WindowsException {
        Object object = handles.get(handle);
        if (object instanceof EmuSocket s) {
            s.notificationModes = flags;
        } else if (object instanceof EmuHelper h) {
            h.notificationModes = flags;
        } else {
            throw WindowsException.win32("SetFileCompletionNotificationModes", Win32Error.ERROR_INVALID_HANDLE);
        }
    }

    int dequeue(long port, MemorySegment entries, int timeoutMillis) throws WindowsException {
        int capacity = OverlappedEntry.capacity(entries);
        if (capacity < 1) {
            throw new IllegalArgumentException("room for no OVERLAPPED_ENTRY in " + entries.byteSize() + " bytes");
        }
        long deadline = timeoutMillis < 0 ? Long.MAX_VALUE : System.nanoTime() + timeoutMillis * 1_000_000L;
        EmuPort target = handles.port("GetQueuedCompletionStatusEx", port);
        try {
            while (true) {
                beforePass.accept(port);
                progressReady(target);
                synchronized (target) {
                    if (target.closed) {
                        throw WindowsException.win32("GetQueuedCompletionStatusEx", Win32Error.ERROR_INVALID_HANDLE);
                    }
                    int removed = removePackets(target, entries, capacity);
                    if (removed > 0) {
                        return removed;
                    }
                    if (deadline - System.nanoTime() <= 0) {
                        return 0;
                    }
                    if (!target.dirty.isEmpty() || target.kicked) {
                        // Progress made more work to look at (an accepted socket taking its place), or a file
                        // transfer came after this pass ran them: no waiting.
                        target.kicked = false;
                        continue;
                    }
                    // Counted under the port's monitor, where every packet and touch is made: a wake after this
                    // finds the waiter and writes the eventfd, so none is lost before the wait starts.
                    target.waiters++;
                }
                try {
                    long left = deadline - System.nanoTime();
                    target.await(deadline == Long.MAX_VALUE ? -1
                            : (int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000L)));
                } finally {
                    synchronized (target) {
                        target.waiters--;
                    }
                }
            }
        } finally {
            synchronized (target) {
                for (EmuPort.Packet packet : target.packets) {
                    if (packet.hold > 0) {
                        packet.hold--;
                    }
                }
            }
        }
    }

    private int removePackets(EmuPort port, MemorySegment entries, int capacity) {
        int removed = 0;
        Iterator<EmuPort.Packet> it = port.packets.iterator();
        while (it.hasNext() && removed < capacity) {
            EmuPort.Packet packet = it.next();
            if (packet.hold > 0) {
                continue;
            }
            it.remove();
            if (packet.memory != null && !packet.memory.scope().isAlive()) {
                throw violation(packet.operation + " (packet dequeued)");
            }
            OverlappedEntry.set(entries, removed++, packet.key, packet.overlapped, packet.status, packet.bytes);
        }
        return removed;
    }

    /**
     * Moves forward what can move on the sockets epoll reports ready, on those touched since the last dequeue
     * and on the parked ones (few: signalled while nothing on them could move); parks a signalled socket on which
     * nothing can move.
     */
    private void progressReady(EmuPort port) throws WindowsException {
        Set<EmuSocket> look = new LinkedHashSet<>();
        synchronized (port) {
            if (port.closed) {
                throw WindowsException.win32("GetQueuedCompletionStatusEx", Win32Error.ERROR_INVALID_HANDLE);
            }
            for (long handle : port.ready()) {
                if (handles.get(handle) instanceof EmuSocket s && port.watched.containsKey(s)) {
                    look.add(s);
                }
            }
            look.addAll(port.dirty);
            look.addAll(port.parked);
            port.dirty.clear();
        }
        for (EmuSocket s : look) {
            try (EmuLocks held = EmuLocks.closure(List.of(s))) {
                boolean watched;
                synchronized (port) {
                    watched = !port.closed && port.watched.containsKey(s);
                }
                if (watched) {
                    progressWatched(port, s);
                }
            }
        }
    }

    private void progressWatched(EmuPort port, EmuSocket s) {
        boolean before = s.hasPendingWork();
        boolean moved = progress(s, null);
        if (s.closed || !s.hasPendingWork()) {
            synchronized (port) {
                port.unwatch(s, s.closed);
            }
            s.watchers.remove(port);
            return;
        }
        int events = s.wantedPollEvents() | Libc.POLLERR | Libc.POLLHUP;
        // Level-triggered a signalled socket on which nothing moved would be reported at once again: only a
        // change (an edge) or a call brings it back.
        boolean park = before && !moved && signalled(s);
        s.parked = park;
        synchronized (port) {
            if (park) {
                port.parked.add(s);
                port.interest(s, events | Libc.EPOLLET);
            } else {
                port.parked.remove(s);
                port.interest(s, events);
            }
        }
    }

    /** A call reached {@code s} (its lock held): every port watching it looks at it again, parked or not. */
    void touch(EmuSocket s) {
        boolean wasParked = s.parked;
        s.parked = false;
        for (EmuPort port : s.watchers) {
            synchronized (port) {
                if (port.closed) {
                    continue;
                }
                port.dirty.add(s);
                if (wasParked) {
                    port.wake();
                }
            }
        }
    }

    /**
     * {@code port} watches {@code s} (its lock held) while work is pending on it there. Called right after that
     * work was tried and could not move. A socket no port watches goes into this port's epoll set at once,
     * level-triggered for what its work waits for: epoll reports a descriptor that is ready when it is added, so a
     * condition that arose since the try wakes the next wait, and the next dequeue need not try the work again on
     * the chance that it did. A socket already watched is looked at on every watching port's next pass instead, as
     * after any call that reaches it (its interest there may have to change).
     */
    void watch(EmuSocket s, EmuPort port) {
        if (port == null || !s.hasPendingWork()) {
            return;
        }
        if (s.watchers.isEmpty()) {
            synchronized (port) {
                if (port.closed) {
                    return;
                }
                port.watched.put(s, 0);
                port.interest(s, s.wantedPollEvents() | Libc.POLLERR | Libc.POLLHUP);
            }
            s.watchers.add(port);
            // Left over from an earlier watch that ended; nothing is parked now.
            s.parked = false;
            return;
        }
        boolean added;
        synchronized (port) {
            if (port.closed) {
                return;
            }
            added = port.watched.putIfAbsent(s, 0) == null;
        }
        if (added) {
            s.watchers.add(port);
        }
        touch(s);
        synchronized (port) {
            port.wake();
        }
    }

    private static boolean signalled(EmuSocket s) {
        short wanted = (short) (s.wantedPollEvents() | Libc.POLLERR | Libc.POLLHUP);
        return (EmuSocket.Scratch.local().pollOne(s.fd, wanted) & wanted) != 0;
    }

    /**
     * Completes what can complete on {@code s} (its related locks held): overlapped reads first (they take the
     * data a poll would have seen, without signalling it), then writes, then polls. {@code inline} is the
     * operation being submitted, whose success may skip the port.
     */
    boolean progress(EmuSocket s, Object inline) {
        if (s.closed) {
            return false;
        }
        boolean moved = false;
        moved |= progressQueue(s.reads, inline);
        moved |= progressQueue(s.writes, inline);
        EmuSocket.Scratch scratch = EmuSocket.Scratch.local();
        for (PollOperation poll : new ArrayList<>(s.polls)) {
            int[] events = poll.evaluate(scratch, null);
            if (PollOperation.any(events)) {
                completePoll(poll, NtStatus.SUCCESS, events, poll == inline);
                moved = true;
            }
        }
        return moved;
    }

    boolean progressQueue(ArrayDeque<OverlappedOperation> queue, Object inline) {
        boolean moved = false;
        EmuSocket.Scratch scratch = EmuSocket.Scratch.local();
        while (!queue.isEmpty()) {
            OverlappedOperation op = queue.peekFirst();
            if (!op.attempt(scratch)) {
                break;
            }
            queue.pollFirst();
            completeOverlapped(op, op == inline && op.status == NtStatus.SUCCESS);
            moved = true;
        }
        return moved;
    }

    IllegalStateException violation(String what) {
        String message = "memory of " + what + " was released before its completion packet was dequeued";
        violations.add(message);
        return new IllegalStateException(message);
    }

    /** Completes {@code poll} (the locks of the sockets it names held): results into its memory, then its packet. */
    void completePoll(PollOperation poll, int status, int[] events, boolean inline) {
        poll.done = true;
        poll.carrierSet().remove(poll);
        for (EmuSocket s : poll.sockets) {
            s.polls.remove(poll);
            if (s.mainPoll == poll) {
                s.mainPoll = null;
            }
        }
        if (!poll.ioStatusBlock.scope().isAlive() || !poll.pollInfo.scope().isAlive()) {
            throw violation("an AFD poll");
        }
        long information = poll.writeResults(status, events);
        EmuPort port;
        long key;
        int modes;
        if (poll.carrier instanceof EmuHelper h) {
            port = h.port;
            key = h.key;
            modes = h.notificationModes;
        } else {
            EmuSocket carrier = (EmuSocket) poll.carrier;
            port = carrier.port;
            key = carrier.key;
            modes = carrier.notificationModes;
        }
        boolean skip = inline && status == NtStatus.SUCCESS
                && (modes & Winsock.FILE_SKIP_COMPLETION_PORT_ON_SUCCESS) != 0;
        if (!skip) {
            queue(port, new EmuPort.Packet(key, poll.ioStatusBlock.address(), status, (int) information,
                    poll.ioStatusBlock, "an AFD poll"));
        }
    }

    /** Completes {@code op} (its socket's lock held): results into its OVERLAPPED, then its packet. */
    void completeOverlapped(OverlappedOperation op, boolean inlineSuccess) {
        if (!op.overlapped.scope().isAlive()) {
            throw violation("a " + op.function);
        }
        Overlapped.complete(op.overlapped, op.status, op.bytes);
        op.ended();
        EmuSocket s = op.socket;
        boolean skip = inlineSuccess && (s.notificationModes & Winsock.FILE_SKIP_COMPLETION_PORT_ON_SUCCESS) != 0;
        if (!skip) {
            queue(s.port, new EmuPort.Packet(s.key, op.overlapped.address(), op.status, (int) op.bytes,
                    op.overlapped, "a " + op.function));
        }
    }

    /** Queues {@code packet} on {@code port} (dropped when it is closed) and wakes a dequeue blocked there. */
    void queue(EmuPort port, EmuPort.Packet packet) {
        if (port == null) {
            return;
        }
        synchronized (port) {
            if (port.closed) {
                return;
            }
            packet.hold = faults.takeDelay();
            port.packets.add(packet);
            port.wake();
        }
    }

    /** Work for {@code port}'s next pass arrived from outside its sockets: that pass comes without waiting. */
    void kick(EmuPort port) {
        synchronized (port) {
            if (!port.closed) {
                port.kicked = true;
                port.wake();
            }
        }
    }

    void post(long port, long key, long overlapped, int bytes) throws WindowsException {
        EmuPort target = handles.port("PostQueuedCompletionStatus", port);
        synchronized (target) {
            if (target.closed) {
                throw WindowsException.win32("PostQueuedCompletionStatus", Win32Error.ERROR_INVALID_HANDLE);
            }
            target.packets.add(new EmuPort.Packet(key, overlapped, NtStatus.SUCCESS, bytes, null, "a posted packet"));
            target.wake();
        }
    }

    /** Closes a port whose handle was just removed; sockets still associated with it lose their packets. */
    void close(EmuPort port) {
        List<EmuSocket> watched;
        synchronized (port) {
            // A dequeue blocked on the port wakes before its descriptors go, and then finds it closed.
            port.wake();
            port.closed = true;
            port.packets.clear();
            watched = new ArrayList<>(port.watched.keySet());
            port.watched.clear();
            port.dirty.clear();
            port.parked.clear();
            Libc.close(port.epollFd);
            Libc.close(port.eventFd);
        }
        for (EmuSocket s : watched) {
            try (EmuLocks held = EmuLocks.only(s)) {
                s.watchers.remove(port);
            }
        }
    }
}
