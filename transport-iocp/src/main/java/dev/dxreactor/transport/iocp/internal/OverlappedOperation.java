package dev.dxreactor.transport.iocp.internal;

import dev.dxreactor.transport.iocp.NtStatus;
import dev.dxreactor.transport.iocp.WsaBuf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.LongAdder;

/**
 * One emulated overlapped operation in flight ({@code WSARecv}, {@code WSASend}, {@code AcceptEx},
 * {@code ConnectEx}). {@link #attempt} moves it forward without blocking and says whether it finished; it is
 * called with the locks of its socket and, for AcceptEx, of the socket it accepts into.
 */
abstract class OverlappedOperation {

    final String function;
    final EmuSocket socket;
    final MemorySegment overlapped;
    int status = NtStatus.PENDING;
    long bytes;

    OverlappedOperation(String function, EmuSocket socket, MemorySegment overlapped) {
        this.function = function;
        this.socket = socket;
        this.overlapped = overlapped;
    }

    /** Whether it waits for the socket to become readable (else writable). */
    abstract boolean isRead();

    /** Tries to finish; true when {@link #status} and {@link #bytes} hold the outcome. */
    abstract boolean attempt(EmuSocket.Scratch scratch);

    final boolean finish(int ntStatus, long transferred) {
        status = ntStatus;
        bytes = transferred;
        return true;
    }

    /** What the packet of a cancelled operation counts: what it moved before the cancel. */
    long cancelledBytes() {
        return 0;
    }

    /** Called once when the operation has ended, whichever way: what it holds of its own is let go here. */
    void ended() {
    }

    /** The buffers named by WSABUFs, as native iovecs, read once at submission as the kernel locks them. */
    static final class Buffers {
        final long[] addresses;
        final long[] lengths;
        final long total;

        Buffers(MemorySegment wsaBufs, int count) {
            if (count < 1 || wsaBufs.byteSize() < WsaBuf.SIZE * count) {
                throw new IllegalArgumentException(count + " WSABUFs do not fit in " + wsaBufs.byteSize() + " bytes");
            }
            addresses = new long[count];
            lengths = new long[count];
            long sum = 0;
            for (int i = 0; i < count; i++) {
                addresses[i] = WsaBuf.address(wsaBufs, i);
                lengths[i] = WsaBuf.length(wsaBufs, i);
                sum += lengths[i];
            }
            total = sum;
        }

        /** iovecs for the bytes from {@code offset} on; their count is {@code iovecCount(offset)}. */
        MemorySegment iovecs(Arena arena, long offset) {
            MemorySegment iov = arena.allocate(Libc.IOVEC_SIZE * addresses.length, 8);
            int n = 0;
            long skip = offset;
            for (int i = 0; i < addresses.length; i++) {
                if (skip >= lengths[i]) {
                    skip -= lengths[i];
                    continue;
                }
                iov.set(ValueLayout.JAVA_LONG, Libc.IOVEC_SIZE * n, addresses[i] + skip);
                iov.set(ValueLayout.JAVA_LONG, Libc.IOVEC_SIZE * n + 8, lengths[i] - skip);
                skip = 0;
                n++;
            }
            return iov.asSlice(0, Libc.IOVEC_SIZE * n);
        }
    }

    /** WSARecv: completes with the bytes read, 0 at end of stream; a zero-length one completes when data waits. */
    static final class Recv extends OverlappedOperation {
        private final Buffers buffers;

        Recv(EmuSocket socket, MemorySegment overlapped, MemorySegment wsaBufs, int count) {
            super("WSARecv", socket, overlapped);
            this.buffers = new Buffers(wsaBufs, count);
        }

        @Override
        boolean isRead() {
            return true;
        }

        @Override
        boolean attempt(EmuSocket.Scratch scratch) {
            if (socket.aborted) {
                return finish(NtStatus.CONNECTION_RESET, 0);
            }
            if (buffers.total == 0) {
                long peeked = scratch.peek(socket.fd);
                if (peeked >= 0) {
                    return finish(NtStatus.SUCCESS, 0);
                }
                return failedUnlessWouldBlock();
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment iov = buffers.iovecs(arena, 0);
                long n = Libc.readv(socket.fd, iov, (int) (iov.byteSize() / Libc.IOVEC_SIZE));
                if (n >= 0) {
                    if (n == 0) {
                        socket.hangup = true;
                    }
                    return finish(NtStatus.SUCCESS, n);
                }
                return failedUnlessWouldBlock();
            }
        }

        private boolean failedUnlessWouldBlock() {
            int errno = Libc.errno();
            if (errno == Libc.EAGAIN || errno == Libc.EINTR) {
                return false;
            }
            if (errno == Libc.ECONNRESET) {
                socket.aborted = true;
            }
            return finish(Errno.toNtStatus(errno), 0);
        }
    }

    /** WSASend: completes when every byte has been taken by the socket. */
    static final class Send extends OverlappedOperation {
        private final Buffers buffers;
        private long sent;

        Send(EmuSocket socket, MemorySegment overlapped, MemorySegment wsaBufs, int count) {
            super("WSASend", socket, overlapped);
            this.buffers = new Buffers(wsaBufs, count);
        }

        @Override
        boolean isRead() {
            return false;
        }

        @Override
        boolean attempt(EmuSocket.Scratch scratch) {
            if (socket.aborted) {
                return finish(NtStatus.CONNECTION_RESET, sent);
            }
            try (Arena arena = Arena.ofConfined()) {
                while (sent < buffers.total) {
                    long n = sendFrom(arena, socket.fd, buffers, sent);
                    if (n < 0) {
                        return sendFailed(sent);
                    }
                    sent += n;
                }
            }
            return finish(NtStatus.SUCCESS, sent);
        }
    }

    /**
     * TransmitFile: sends the file from its offset with sendfile(2) until the byte count (or, when it is 0 or
     * passes the end, the end of the file) is reached; completes when every byte has been taken by the socket.
     */
    static final class Transmit extends OverlappedOperation {
        /** What one sendfile(2) is asked for: a bound per call keeps one transfer from holding the socket's lock long. */
        private static final long CHUNK = 1 << 20;

        private final int fileFd;
        private final LongAdder counter;
        private final long end;
        private final MemorySegment position = Arena.ofAuto().allocate(ValueLayout.JAVA_LONG);
        private long sent;
        private boolean closed;

        /**
         * {@code fileFd} is the operation's own descriptor; {@code bytes} 0 means to the end of the file; every byte
         * sent is added to {@code counter}.
         */
        Transmit(EmuSocket socket, MemorySegment overlapped, int fileFd, long offset, long bytes, LongAdder counter) {
            super("TransmitFile", socket, overlapped);
            this.fileFd = fileFd;
            this.counter = counter;
            this.end = bytes == 0 ? Long.MAX_VALUE : offset + bytes;
            position.set(ValueLayout.JAVA_LONG, 0, offset);
        }

        @Override
        boolean isRead() {
            return false;
        }

        @Override
        boolean attempt(EmuSocket.Scratch scratch) {
            if (socket.aborted) {
                return finish(NtStatus.CONNECTION_RESET, sent);
            }
            while (true) {
                long left = end - position.get(ValueLayout.JAVA_LONG, 0);
                if (left <= 0) {
                    return finish(NtStatus.SUCCESS, sent);
                }
                long n = Libc.sendfile(socket.fd, fileFd, position, Math.min(left, CHUNK));
                if (n == 0) {
                    return finish(NtStatus.SUCCESS, sent);
                }
                if (n < 0) {
                    return sendFailed(sent);
                }
                sent += n;
                counter.add(n);
            }
        }

        @Override
        long cancelledBytes() {
            return sent;
        }

        @Override
        void ended() {
            if (!closed) {
                closed = true;
                Libc.close(fileFd);
            }
        }
    }

    /**
     * A send that answered -1 after {@code sent} bytes: false when it would block (it waits for room), else it has
     * finished with the failure. Linux says EPIPE after a local shutdown too, which Windows reports as such.
     */
    final boolean sendFailed(long sent) {
        int errno = Libc.errno();
        if (errno == Libc.EAGAIN || errno == Libc.EINTR) {
            return false;
        }
        if (errno == Libc.ECONNRESET) {
            socket.aborted = true;
        }
        return finish(errno == Libc.EPIPE && socket.sendShutdown ? NtStatus.PIPE_DISCONNECTED
                : Errno.toNtStatus(errno), sent);
    }

    /** sendmsg(MSG_NOSIGNAL) of the buffers from {@code offset} on: bytes sent or -1. */
    static long sendFrom(Arena arena, int fd, Buffers buffers, long offset) {
        MemorySegment iov = buffers.iovecs(arena, offset);
        MemorySegment msg = arena.allocate(Libc.MSGHDR);
        msg.set(ValueLayout.ADDRESS, 16, iov);
        msg.set(ValueLayout.JAVA_LONG, 24, iov.byteSize() / Libc.IOVEC_SIZE);
        return Libc.sendmsg(fd, msg, Libc.MSG_NOSIGNAL);
    }

    /** AcceptEx: accepts a connection into a socket made beforehand and writes both addresses into the buffer. */
    static final class Accept extends OverlappedOperation {
        final EmuSocket target;
        private final MemorySegment buffer;
        private final int addressLength;

        Accept(EmuSocket listener, EmuSocket target, MemorySegment buffer, int addressLength,
                MemorySegment overlapped) {
            super("AcceptEx", listener, overlapped);
            this.target = target;
            this.buffer = buffer;
            this.addressLength = addressLength;
        }

        @Override
        boolean isRead() {
            return true;
        }

        @Override
        boolean attempt(EmuSocket.Scratch scratch) {
            if (target.closed) {
                return finish(NtStatus.INVALID_HANDLE, 0);
            }
            int fd = Libc.accept4(socket.fd, MemorySegment.NULL, MemorySegment.NULL,
                    Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC);
            if (fd < 0) {
                int errno = Libc.errno();
                if (errno == Libc.EAGAIN || errno == Libc.EINTR) {
                    return false;
                }
                return finish(Errno.toNtStatus(errno), 0);
            }
            EmuWinsock.adopt(target, fd, socket);
            EmuWinsock.writeAcceptAddresses(target, buffer, addressLength);
            return finish(NtStatus.SUCCESS, 0);
        }
    }

    /** ConnectEx: completes when the connection is established or has failed. */
    static final class Connect extends OverlappedOperation {

        Connect(EmuSocket socket, MemorySegment overlapped) {
            super("ConnectEx", socket, overlapped);
        }

        @Override
        boolean isRead() {
            return false;
        }

        @Override
        boolean attempt(EmuSocket.Scratch scratch) {
            if (socket.state == EmuSocket.State.CONNECTING) {
                short revents = scratch.pollOne(socket.fd, Libc.POLLOUT);
                if ((revents & (Libc.POLLOUT | Libc.POLLERR | Libc.POLLHUP)) == 0) {
                    return false;
                }
                socket.settleConnect(scratch.socketError(socket.fd));
            }
            if (socket.state == EmuSocket.State.CONNECTED) {
                socket.connectedByConnectEx = true;
                return finish(NtStatus.SUCCESS, 0);
            }
            return finish(socket.connectStatus, 0);
        }
    }
}
