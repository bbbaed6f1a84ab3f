package dev.dxreactor.transport.iocp.internal;

import dev.dxreactor.transport.iocp.NtStatus;
import dev.dxreactor.transport.iocp.Win32Error;
import dev.dxreactor.transport.iocp.WindowsException;
import dev.dxreactor.transport.iocp.WindowsKernel;
import dev.dxreactor.transport.iocp.Winsock;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Winsock's socket calls (non-blocking and blocking) and closesocket. A call holds its socket's lock while it
 * acts and none while it blocks (a blocking call waits on the descriptor with poll(2), then tries again);
 * closesocket holds the locks of every socket its pending work reaches, as it ends that work.
 */
final class EmuWinsock {

    private final EmuHandles handles;
    private final EmuPorts ports;

    EmuWinsock(EmuHandles handles, EmuPorts ports) {
        this.handles = handles;
        this.ports = ports;
    }

    /** The lock of {@code s}, once it is known to be open; a call reaching it makes its ports look at it again. */
    EmuLocks hold(EmuSocket s, String function) throws WindowsException {
        EmuLocks held = EmuLocks.only(s);
        if (s.closed) {
            held.close();
            throw WindowsException.win32(function, Win32Error.WSAENOTSOCK);
        }
        ports.touch(s);
        return held;
    }

    long socket(int addressFamily, int type, int protocol) throws WindowsException {
        if (addressFamily != Winsock.AF_INET && addressFamily != Winsock.AF_INET6) {
            throw WindowsException.win32("WSASocketW", Win32Error.WSAEAFNOSUPPORT);
        }
        if (type != Winsock.SOCK_STREAM || (protocol != 0 && protocol != Winsock.IPPROTO_TCP)) {
            throw WindowsException.win32("WSASocketW", Win32Error.WSAEPROTONOSUPPORT);
        }
        boolean ipv6 = addressFamily == Winsock.AF_INET6;
        int fd = Libc.socket(ipv6 ? Libc.AF_INET6 : Libc.AF_INET,
                Libc.SOCK_STREAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw WindowsException.win32("WSASocketW", Errno.toWinsock(Libc.errno()));
        }
        if (ipv6) {
            // Winsock's IPv6 sockets are IPv6-only unless told otherwise; Linux's are dual-stack.
            setIntOption(fd, Libc.IPPROTO_IPV6, Libc.IPV6_V6ONLY, 1);
        }
        return handles.add(handle -> new EmuSocket(handle, fd, ipv6));
    }

    private static int setIntOption(int fd, int level, int option, int value) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(ValueLayout.JAVA_INT);
            v.set(ValueLayout.JAVA_INT, 0, value);
            return Libc.setsockopt(fd, level, option, v, 4);
        }
    }

    /**
     * Gives {@code target} the accepted connection {@code fd} (AcceptEx), replacing its unused socket; called
     * with the locks of both sockets held.
     */
    static void adopt(EmuSocket target, int fd, EmuSocket listener) {
        for (EmuPort port : target.watchers) {
            synchronized (port) {
                if (!port.closed) {
                    // Closing the unused descriptor takes it out of every epoll set; the accepted one goes in afresh.
                    port.watched.put(target, 0);
                    port.dirty.add(target);
                }
            }
        }
        Libc.close(target.fd);
        target.fd = fd;
        target.state = EmuSocket.State.CONNECTED;
        target.bound = true;
        target.acceptedFrom = listener;
    }

    /** Writes local and remote address into AcceptEx's buffer, one slot of {@code addressLength} each. */
    static void writeAcceptAddresses(EmuSocket s, MemorySegment buffer, int addressLength) {
        try {
            SockAddr.write(buffer, address(s, true), s.ipv6, Winsock.AF_INET6);
            SockAddr.write(buffer.asSlice(addressLength), address(s, false), s.ipv6, Winsock.AF_INET6);
        } catch (WindowsException e) {
            throw new IllegalStateException("an accepted socket has no address", e);
        }
    }

    void setNonBlocking(long socket, boolean nonBlocking) throws WindowsException {
        EmuSocket s = handles.socket("ioctlsocket", socket);
        try (EmuLocks held = hold(s, "ioctlsocket")) {
            s.nonBlocking = nonBlocking;
        }
    }

    void bind(long socket, InetSocketAddress address) throws WindowsException {
        EmuSocket s = handles.socket("bind", socket);
        try (EmuLocks held = hold(s, "bind")) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment sa = a.allocate(SockAddr.MAX_SIZE, 8);
                int length = SockAddr.write(sa, address, s.ipv6, Libc.AF_INET6);
                if (Libc.bind(s.fd, sa, length) != 0) {
                    throw WindowsException.win32("bind", Errno.toWinsock(Libc.errno()));
                }
                s.bound = true;
            }
        }
    }

    void listen(long socket, int backlog) throws WindowsException {
        EmuSocket s = handles.socket("listen", socket);
        try (EmuLocks held = hold(s, "listen")) {
            if (!s.bound || Libc.listen(s.fd, backlog) != 0) {
                throw WindowsException.win32("listen", s.bound ? Errno.toWinsock(Libc.errno()) : Win32Error.WSAEINVAL);
            }
            s.state = EmuSocket.State.LISTENING;
        }
    }

    long accept(long listener) throws WindowsException {
        while (true) {
            int fd;
            EmuSocket s = handles.socket("accept", listener);
            try (EmuLocks held = hold(s, "accept")) {
                if (s.state != EmuSocket.State.LISTENING) {
                    throw WindowsException.win32("accept", Win32Error.WSAEINVAL);
                }
                int accepted = Libc.accept4(s.fd, MemorySegment.NULL, MemorySegment.NULL,
                        Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC);
                if (accepted >= 0) {
                    boolean ipv6 = s.ipv6;
                    return handles.add(handle -> {
                        EmuSocket a = new EmuSocket(handle, accepted, ipv6);
                        a.state = EmuSocket.State.CONNECTED;
                        a.bound = true;
                        return a;
                    });
                }
                int errno = Libc.errno();
                if (errno != Libc.EAGAIN && errno != Libc.EINTR) {
                    throw WindowsException.win32("accept", Errno.toWinsock(errno));
                }
                if (s.nonBlocking) {
                    return Winsock.INVALID_HANDLE;
                }
                fd = s.fd;
            }
            awaitFd(fd, Libc.POLLIN);
        }
    }

    private void awaitFd(int fd, short events) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment pfd = a.allocate(Libc.POLLFD_SIZE, 4);
            pfd.set(ValueLayout.JAVA_INT, 0, fd);
            pfd.set(ValueLayout.JAVA_SHORT, 4, events);
            Libc.poll(pfd, 1, 100);
        }
    }

    boolean connect(long socket, InetSocketAddress remote) throws WindowsException {
        int fd;
        EmuSocket s = handles.socket("connect", socket);
        try (EmuLocks held = hold(s, "connect")) {
            if (s.state != EmuSocket.State.UNCONNECTED) {
                throw WindowsException.win32("connect",
                        s.state == EmuSocket.State.CONNECTED ? Win32Error.WSAEISCONN : Win32Error.WSAEALREADY);
            }
            startConnect("connect", s, remote);
            if (s.state == EmuSocket.State.CONNECTED) {
                return true;
            }
            if (s.nonBlocking) {
                return false;
            }
            fd = s.fd;
        }
        while (true) {
            EmuSocket c = handles.socket("connect", socket);
            try (EmuLocks held = hold(c, "connect")) {
                if (c.state == EmuSocket.State.CONNECTING) {
                    c.afdEvents(EmuSocket.Scratch.local());
                }
                if (c.state == EmuSocket.State.CONNECTED) {
                    return true;
                }
                if (c.state == EmuSocket.State.CONNECT_FAILED) {
                    throw WindowsException.win32("connect", Errno.toWinsock(c.connectErrno));
                }
            }
            awaitFd(fd, Libc.POLLOUT);
        }
    }

    static void startConnect(String function, EmuSocket s, InetSocketAddress remote) throws WindowsException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sa = a.allocate(SockAddr.MAX_SIZE, 8);
            int length = SockAddr.write(sa, remote, s.ipv6, Libc.AF_INET6);
            if (Libc.connect(s.fd, sa, length) == 0) {
                s.state = EmuSocket.State.CONNECTED;
                return;
            }
            int errno = Libc.errno();
            if (errno == Libc.EINPROGRESS || errno == Libc.EINTR) {
                s.state = EmuSocket.State.CONNECTING;
            } else if (errno == 111) {
                s.settleConnect(errno);
            } else {
                throw WindowsException.win32(function, Errno.toWinsock(errno));
            }
        }
    }

    int recv(long socket, MemorySegment buffer, int flags) throws WindowsException {
        while (true) {
            int fd;
            EmuSocket s = handles.socket("recv", socket);
            try (EmuLocks held = hold(s, "recv")) {
                if (s.aborted) {
                    throw WindowsException.win32("recv", Win32Error.WSAECONNRESET);
                }
                long n = Libc.recv(s.fd, buffer, buffer.byteSize(), Libc.MSG_DONTWAIT | (flags & Libc.MSG_PEEK));
                if (n >= 0) {
                    if (n == 0 && buffer.byteSize() > 0) {
                        s.hangup = true;
                    }
                    return (int) n;
                }
                int errno = Libc.errno();
                if (errno == Libc.ECONNRESET) {
                    s.aborted = true;
                }
                if (errno != Libc.EAGAIN && errno != Libc.EINTR) {
                    throw WindowsException.win32("recv", Errno.toWinsock(errno));
                }
                if (s.nonBlocking) {
                    return WindowsKernel.WOULD_BLOCK;
                }
                fd = s.fd;
            }
            awaitFd(fd, Libc.POLLIN);
        }
    }

    int send(long socket, MemorySegment buffer, int flags) throws WindowsException {
        while (true) {
            int fd;
            EmuSocket s = handles.socket("send", socket);
            try (EmuLocks held = hold(s, "send")) {
                long n = Libc.send(s.fd, buffer, buffer.byteSize(), Libc.MSG_DONTWAIT | Libc.MSG_NOSIGNAL);
                if (n >= 0) {
                    return (int) n;
                }
                int errno = Libc.errno();
                if (errno != Libc.EAGAIN && errno != Libc.EINTR) {
                    if (errno == Libc.ECONNRESET) {
                        s.aborted = true;
                    }
                    throw WindowsException.win32("send", Errno.toWinsock(errno));
                }
                if (s.nonBlocking) {
                    return WindowsKernel.WOULD_BLOCK;
                }
                fd = s.fd;
            }
            awaitFd(fd, Libc.POLLOUT);
        }
    }

    long sendGather(long socket, MemorySegment wsaBufs, int count) throws WindowsException {
        OverlappedOperation.Buffers buffers = new OverlappedOperation.Buffers(wsaBufs, count);
        while (true) {
            int fd;
            EmuSocket s = handles.socket("WSASend", socket);
            try (EmuLocks held = hold(s, "WSASend")) {
                try (Arena a = Arena.ofConfined()) {
                    long n = OverlappedOperation.sendFrom(a, s.fd, buffers, 0);
                    if (n >= 0) {
                        return n;
                    }
                }
                int errno = Libc.errno();
                if (errno != Libc.EAGAIN && errno != Libc.EINTR) {
                    throw WindowsException.win32("WSASend", Errno.toWinsock(errno));
                }
                if (s.nonBlocking) {
                    return WindowsKernel.WOULD_BLOCK;
                }
                fd = s.fd;
            }
            awaitFd(fd, Libc.POLLOUT);
        }
    }

    void shutdown(long socket, int how) throws WindowsException {
        EmuSocket s = handles.socket("shutdown", socket);
        try (EmuLocks held = hold(s, "shutdown")) {
            if (how < Winsock.SD_RECEIVE || how > Winsock.SD_BOTH) {
                throw WindowsException.win32("shutdown", Win32Error.WSAEINVAL);
            }
            if (Libc.shutdown(s.fd, how) != 0) {
                throw WindowsException.win32("shutdown", Errno.toWinsock(Libc.errno()));
            }
            s.sendShutdown |= how != Winsock.SD_RECEIVE;
        }
    }

    void closeSocket(long socket) throws WindowsException {
        EmuSocket s = handles.socket("closesocket", socket);
        try (EmuLocks held = EmuLocks.closure(List.of(s))) {
            if (s.closed || !handles.remove(socket, s)) {
                throw WindowsException.win32("closesocket", Win32Error.WSAENOTSOCK);
            }
            s.closed = true;
            IllegalStateException violation = null;
            // Closing the last handle cancels the socket's pending I/O (IRP_MJ_CLEANUP): each operation's packet
            // still arrives, with STATUS_CANCELLED, which GetOverlappedResult reports as ERROR_OPERATION_ABORTED
            // (995); an AcceptEx pending on a closed listener ends the same way (Microsoft's AcceptEx and
            // closesocket pages; libuv's tcp.c and the JDK's Iocp treat 995 on close as the normal outcome).
            for (OverlappedOperation op : drain(s)) {
                op.status = NtStatus.CANCELLED;
                op.bytes = op.cancelledBytes();
                try {
                    ports.completeOverlapped(op, false);
                } catch (IllegalStateException e) {
                    violation = e;
                }
            }
            for (PollOperation poll : EmuAfd.carriedBy(s)) {
                if (!poll.names(s)) {
                    // Closing a socket that carries polls of others ends them with nothing to report.
                    ports.completePoll(poll, NtStatus.TIMEOUT, null, false);
                }
            }
            EmuSocket.Scratch scratch = EmuSocket.Scratch.local();
            for (PollOperation poll : new ArrayList<>(s.polls)) {
                try {
                    ports.completePoll(poll, NtStatus.SUCCESS, poll.evaluate(scratch, s), false);
                } catch (IllegalStateException e) {
                    violation = e;
                }
            }
            for (EmuPort port : s.watchers) {
                synchronized (port) {
                    port.unwatch(s, true);
                }
            }
            s.watchers.clear();
            Libc.close(s.fd);
            if (violation != null) {
                throw violation;
            }
        }
    }

    private static List<OverlappedOperation> drain(EmuSocket s) {
        List<OverlappedOperation> ops = new ArrayList<>(s.reads);
        ops.addAll(s.writes);
        s.reads.clear();
        s.writes.clear();
        return ops;
    }

    int getSocketOption(long socket, int level, int option) throws WindowsException {
        EmuSocket s = handles.socket("getsockopt", socket);
        try (EmuLocks held = hold(s, "getsockopt")) {
            if (level == Winsock.SOL_SOCKET && option == Winsock.SO_ERROR) {
                if (s.state == EmuSocket.State.CONNECTING) {
                    s.afdEvents(EmuSocket.Scratch.local());
                }
                if (s.state == EmuSocket.State.CONNECT_FAILED) {
                    return Errno.toWinsock(s.connectErrno);
                }
                int errno = EmuSocket.Scratch.local().socketError(s.fd);
                return errno == 0 ? 0 : Errno.toWinsock(errno);
            }
            int[] linux = linuxOption("getsockopt", level, option);
            try (Arena a = Arena.ofConfined()) {
                MemorySegment v = a.allocate(ValueLayout.JAVA_INT);
                MemorySegment len = a.allocate(ValueLayout.JAVA_INT);
                len.set(ValueLayout.JAVA_INT, 0, 4);
                if (Libc.getsockopt(s.fd, linux[0], linux[1], v, len) != 0) {
                    throw WindowsException.win32("getsockopt", Errno.toWinsock(Libc.errno()));
                }
                return v.get(ValueLayout.JAVA_INT, 0);
            }
        }
    }

    void setSocketOption(long socket, int level, int option, int value) throws WindowsException {
        EmuSocket s = handles.socket("setsockopt", socket);
        try (EmuLocks held = hold(s, "setsockopt")) {
            int[] linux = linuxOption("setsockopt", level, option);
            if (setIntOption(s.fd, linux[0], linux[1], value) != 0) {
                throw WindowsException.win32("setsockopt", Errno.toWinsock(Libc.errno()));
            }
        }
    }

    private static int[] linuxOption(String function, int level, int option) throws WindowsException {
        if (level == Winsock.SOL_SOCKET) {
            switch (option) {
                case Winsock.SO_REUSEADDR:
                    return new int[] {Libc.SOL_SOCKET, Libc.SO_REUSEADDR};
                case Winsock.SO_KEEPALIVE:
                    return new int[] {Libc.SOL_SOCKET, Libc.SO_KEEPALIVE};
                case Winsock.SO_SNDBUF:
                    return new int[] {Libc.SOL_SOCKET, Libc.SO_SNDBUF};
                case Winsock.SO_RCVBUF:
                    return new int[] {Libc.SOL_SOCKET, Libc.SO_RCVBUF};
                default:
                    break;
            }
        } else if (level == Winsock.IPPROTO_TCP && option == Winsock.TCP_NODELAY) {
            return new int[] {Libc.IPPROTO_TCP, Libc.TCP_NODELAY};
        }
        throw WindowsException.win32(function, Win32Error.WSAENOPROTOOPT);
    }

    void setLinger(long socket, int seconds) throws WindowsException {
        EmuSocket s = handles.socket("setsockopt", socket);
        try (EmuLocks held = hold(s, "setsockopt")) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment linger = a.allocate(8, 4);
                linger.set(ValueLayout.JAVA_INT, 0, seconds >= 0 ? 1 : 0);
                linger.set(ValueLayout.JAVA_INT, 4, Math.max(0, seconds));
                if (Libc.setsockopt(s.fd, Libc.SOL_SOCKET, Libc.SO_LINGER, linger, 8) != 0) {
                    throw WindowsException.win32("setsockopt", Errno.toWinsock(Libc.errno()));
                }
            }
        }
    }

    int linger(long socket) throws WindowsException {
        EmuSocket s = handles.socket("getsockopt", socket);
        try (EmuLocks held = hold(s, "getsockopt")) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment linger = a.allocate(8, 4);
                MemorySegment len = a.allocate(ValueLayout.JAVA_INT);
                len.set(ValueLayout.JAVA_INT, 0, 8);
                if (Libc.getsockopt(s.fd, Libc.SOL_SOCKET, Libc.SO_LINGER, linger, len) != 0) {
                    throw WindowsException.win32("getsockopt", Errno.toWinsock(Libc.errno()));
                }
                return linger.get(ValueLayout.JAVA_INT, 0) != 0 ? linger.get(ValueLayout.JAVA_INT, 4) : -1;
            }
        }
    }

    InetSocketAddress localAddress(long socket) throws WindowsException {
        EmuSocket s = handles.socket("getsockname", socket);
        try (EmuLocks held = hold(s, "getsockname")) {
            return address(s, true);
        }
    }

    InetSocketAddress remoteAddress(long socket) throws WindowsException {
        EmuSocket s = handles.socket("getpeername", socket);
        try (EmuLocks held = hold(s, "getpeername")) {
            return address(s, false);
        }
    }

    private static InetSocketAddress address(EmuSocket s, boolean local) throws WindowsException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sa = a.allocate(SockAddr.MAX_SIZE, 8);
            MemorySegment len = a.allocate(ValueLayout.JAVA_INT);
            len.set(ValueLayout.JAVA_INT, 0, SockAddr.MAX_SIZE);
            int r = local ? Libc.getsockname(s.fd, sa, len) : Libc.getpeername(s.fd, sa, len);
            if (r != 0) {
                throw WindowsException.win32(local ? "getsockname" : "getpeername", Errno.toWinsock(Libc.errno()));
            }
            return SockAddr.read(sa, Libc.AF_INET6);
        }
    }

    long baseHandle(long socket) throws WindowsException {
        EmuSocket s = handles.socket("WSAIoctl", socket);
        try (EmuLocks held = hold(s, "WSAIoctl")) {
            // No layered providers here: every socket is its own base socket.
            return s.handle;
        }
    }
}
