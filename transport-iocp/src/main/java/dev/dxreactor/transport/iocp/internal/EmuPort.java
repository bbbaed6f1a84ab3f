package dev.dxreactor.transport.iocp.internal;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.Set;

/** An emulated completion port: the packet queue, the sockets whose operations complete here, a wakeup eventfd. */
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

    final long handle;
    final int eventFd;
    /** NumberOfConcurrentThreads: recorded only; the emulation lets every dequeuing thread run. */
    final int concurrency;
    final ArrayDeque<Packet> packets = new ArrayDeque<>();
    /** Sockets with operations pending that complete to this port. */
    final Set<EmuSocket> watched = new LinkedHashSet<>();
    boolean closed;

    EmuPort(long handle, int eventFd, int concurrency) {
        this.handle = handle;
        this.eventFd = eventFd;
        this.concurrency = concurrency;
    }
}
