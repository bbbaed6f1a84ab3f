package dev.dxreactor.transport.iocp.internal;

import dev.dxreactor.transport.iocp.Afd;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One emulated Winsock socket: a non-blocking Linux socket plus the state AFD keeps and Linux does not. Its
 * fields are guarded by {@link #lock} (see {@link EmuLocks}); {@link #port}, {@link #key} and
 * {@link #notificationModes} are also read without it, by completions of polls this socket carries.
 */
final class EmuSocket {

    enum State { UNCONNECTED, CONNECTING, CONNECTED, LISTENING, CONNECT_FAILED }

    final long handle;
    final boolean ipv6;
    int fd;
    boolean nonBlocking;
    State state = State.UNCONNECTED;
    boolean bound;
    /** NTSTATUS of a failed connect (AFD's CONNECT_FAIL status) and the errno behind it (SO_ERROR). */
    int connectStatus;
    int connectErrno;
    /** Peer FIN seen; sticky as AFD's DISCONNECT. */
    boolean hangup;
    /** Peer RST seen; sticky as AFD's ABORT. */
    boolean aborted;
    /** shutdown(SD_SEND or SD_BOTH) called: a send fails with WSAESHUTDOWN, not as a reset. */
    boolean sendShutdown;
    boolean closed;
    volatile EmuPort port;
    volatile long key;
    volatile int notificationModes;
    final ReentrantLock lock = new ReentrantLock();
    /** Pending polls this socket carries for others or itself; a leaf monitor, as {@link EmuHelper#carried}. */
    final Set<PollOperation> carried = Collections.synchronizedSet(new LinkedHashSet<>());
    /** The listener an AcceptEx accepted this socket from, for SO_UPDATE_ACCEPT_CONTEXT. */
    EmuSocket acceptedFrom;
    boolean connectedByConnectEx;
    /** The first pending poll naming this socket (Windows' "main poll", which exclusive polls may end). */
    PollOperation mainPoll;
    final List<PollOperation> polls = new ArrayList<>();
    final ArrayDeque<OverlappedOperation> reads = new ArrayDeque<>();
    final ArrayDeque<OverlappedOperation> writes = new ArrayDeque<>();
    /** Signalled but nothing pending could complete: watched edge-triggered until it changes or is touched. */
    boolean parked;
    /** The ports watching this socket (its own, and those of helpers whose polls name it). */
    final List<EmuPort> watchers = new ArrayList<>(1);

    EmuSocket(long handle, int fd, boolean ipv6) {
        this.handle = handle;
        this.fd = fd;
        this.ipv6 = ipv6;
    }

    /**
     * Adds this socket and those its pending work reaches: the sockets named by polls on it or carried by it,
     * the sockets its pending AcceptEx accept into. Called with this socket's lock held.
     */
    void addRelated(Set<EmuSocket> into) {
        into.add(this);
        for (PollOperation poll : polls) {
            Collections.addAll(into, poll.sockets);
        }
        synchronized (carried) {
            for (PollOperation poll : carried) {
                Collections.addAll(into, poll.sockets);
            }
        }
        for (OverlappedOperation op : reads) {
            if (op instanceof OverlappedOperation.Accept accept) {
                into.add(accept.target);
            }
        }
    }

    boolean hasPendingWork() {
        return !polls.isEmpty() || !reads.isEmpty() || !writes.isEmpty();
    }

    /** The poll(2) events that can change what the pending operations wait for. */
    short wantedPollEvents() {
        int wanted = 0;
        int afd = 0;
        for (PollOperation poll : polls) {
            afd |= poll.maskFor(this);
        }
        if (!reads.isEmpty() || (afd & (Afd.POLL_RECEIVE | Afd.POLL_ACCEPT)) != 0) {
            wanted |= Libc.POLLIN;
        }
        if ((afd & Afd.POLL_RECEIVE_EXPEDITED) != 0) {
            wanted |= Libc.POLLPRI;
        }
        if (!writes.isEmpty() || (afd & (Afd.POLL_SEND | Afd.POLL_CONNECT | Afd.POLL_CONNECT_FAIL)) != 0) {
            wanted |= Libc.POLLOUT;
        }
        if ((afd & (Afd.POLL_DISCONNECT | Afd.POLL_ABORT)) != 0) {
            wanted |= Libc.POLLRDHUP;
        }
        return (short) wanted;
    }

    /**
     * The AFD events that hold now (LOCAL_CLOSE aside), evaluated as AFD evaluates a poll at submission.
     * Updates the sticky state (connect outcome, FIN, RST) on the way.
     */
    int afdEvents(Scratch scratch) {
        if (closed) {
            return 0;
        }
        short revents = scratch.pollOne(fd, (short) (Libc.POLLIN | Libc.POLLPRI | Libc.POLLOUT | Libc.POLLRDHUP));
        switch (state) {
            case LISTENING:
                return (revents & Libc.POLLIN) != 0 ? Afd.POLL_ACCEPT : 0;
            case UNCONNECTED:
                return 0;
            case CONNECT_FAILED:
                return Afd.POLL_CONNECT_FAIL;
            case CONNECTING:
                if ((revents & (Libc.POLLOUT | Libc.POLLERR | Libc.POLLHUP)) == 0) {
                    return 0;
                }
                settleConnect(scratch.socketError(fd));
                return state == State.CONNECT_FAILED ? Afd.POLL_CONNECT_FAIL : connectedEvents(scratch, revents);
            default:
                return connectedEvents(scratch, revents);
        }
    }

    /** Records the outcome of a non-blocking connect from its SO_ERROR value. */
    void settleConnect(int errno) {
        if (errno == 0) {
            state = State.CONNECTED;
        } else {
            state = State.CONNECT_FAILED;
            connectErrno = errno;
            connectStatus = Errno.toNtStatus(errno);
        }
    }

    private int connectedEvents(Scratch scratch, short revents) {
        int events = Afd.POLL_CONNECT;
        if (!aborted && (revents & Libc.POLLERR) != 0 && scratch.socketError(fd) != 0) {
            aborted = true;
        }
        if (!aborted && (revents & (Libc.POLLIN | Libc.POLLRDHUP)) != 0) {
            long peeked = scratch.peek(fd);
            if (peeked > 0) {
                events |= Afd.POLL_RECEIVE;
                if ((revents & Libc.POLLRDHUP) != 0) {
                    // The peer's FIN queued behind unread data: Windows reports DISCONNECT with RECEIVE then (the
                    // conformance scenario data-then-fin), where Wine waits until the data has been read.
                    hangup = true;
                }
            } else if (peeked == 0) {
                hangup = true;
            } else if (Libc.errno() == Libc.ECONNRESET) {
                aborted = true;
            }
        }
        if ((revents & Libc.POLLPRI) != 0) {
            events |= Afd.POLL_RECEIVE_EXPEDITED;
        }
        if (aborted) {
            return (events & ~Afd.POLL_RECEIVE) | Afd.POLL_ABORT;
        }
        if (hangup) {
            events |= Afd.POLL_DISCONNECT;
        }
        if ((revents & Libc.POLLOUT) != 0) {
            events |= Afd.POLL_SEND;
        }
        return events;
    }

    /** Small native buffers for the evaluation, one set per thread. */
    static final class Scratch {
        private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(() -> new Scratch(Arena.ofAuto()));

        private final MemorySegment pollfd;
        private final MemorySegment peekByte;
        private final MemorySegment intValue;
        private final MemorySegment intLength;

        static Scratch local() {
            return LOCAL.get();
        }

        private Scratch(Arena arena) {
            pollfd = arena.allocate(Libc.POLLFD_SIZE, 4);
            peekByte = arena.allocate(1);
            intValue = arena.allocate(ValueLayout.JAVA_INT);
            intLength = arena.allocate(ValueLayout.JAVA_INT);
        }

        short pollOne(int fd, short events) {
            pollfd.set(ValueLayout.JAVA_INT, 0, fd);
            pollfd.set(ValueLayout.JAVA_SHORT, 4, events);
            pollfd.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
            int ready;
            do {
                ready = Libc.poll(pollfd, 1, 0);
            } while (ready < 0 && Libc.errno() == Libc.EINTR);
            return ready > 0 ? pollfd.get(ValueLayout.JAVA_SHORT, 6) : 0;
        }

        /** recv(MSG_PEEK) of one byte: 1 when data waits, 0 at end of stream, -1 with errno otherwise. */
        long peek(int fd) {
            return Libc.recv(fd, peekByte, 1, Libc.MSG_PEEK | Libc.MSG_DONTWAIT);
        }

        /** getsockopt(SO_ERROR), which also clears it. */
        int socketError(int fd) {
            intValue.set(ValueLayout.JAVA_INT, 0, 0);
            intLength.set(ValueLayout.JAVA_INT, 0, 4);
            if (Libc.getsockopt(fd, Libc.SOL_SOCKET, Libc.SO_ERROR, intValue, intLength) != 0) {
                return Libc.errno();
            }
            return intValue.get(ValueLayout.JAVA_INT, 0);
        }
    }
}
