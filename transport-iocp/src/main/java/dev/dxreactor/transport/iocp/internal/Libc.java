package dev.dxreactor.transport.iocp.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The Linux socket calls the emulated kernel is built on, through FFM. Each call returns the libc result;
 * on -1 the thread's {@link #errno()} tells why. Constants are the Linux (x86-64 and AArch64) values.
 */
final class Libc {

    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int SOCK_STREAM = 1;
    static final int SOCK_NONBLOCK = 0x800;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_REUSEADDR = 2;
    static final int SO_ERROR = 4;
    static final int SO_SNDBUF = 7;
    static final int SO_RCVBUF = 8;
    static final int SO_KEEPALIVE = 9;
    static final int SO_LINGER = 13;
    static final int IPPROTO_TCP = 6;
    static final int TCP_NODELAY = 1;
    static final int IPPROTO_IPV6 = 41;
    static final int IPV6_V6ONLY = 26;
    static final int MSG_PEEK = 0x2;
    static final int MSG_DONTWAIT = 0x40;
    static final int MSG_NOSIGNAL = 0x4000;
    static final short POLLIN = 0x1;
    static final short POLLPRI = 0x2;
    static final short POLLOUT = 0x4;
    static final short POLLERR = 0x8;
    static final short POLLHUP = 0x10;
    static final short POLLRDHUP = 0x2000;
    static final int EFD_NONBLOCK = 0x800;
    static final int EFD_CLOEXEC = 0x80000;
    static final int EPOLL_CLOEXEC = 0x80000;
    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLL_CTL_DEL = 2;
    static final int EPOLL_CTL_MOD = 3;
    /** epoll's event bits are poll(2)'s for the events the emulation uses (EPOLLIN == POLLIN and so on). */
    static final int EPOLLIN = POLLIN;
    static final int EPOLLET = 1 << 31;

    static final int F_DUPFD_CLOEXEC = 1030;

    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EINPROGRESS = 115;
    static final int ECONNRESET = 104;
    static final int EPIPE = 32;
    static final int ENOENT = 2;
    static final int EEXIST = 17;
    static final int O_RDONLY = 0;
    static final int O_WRONLY = 1;
    static final int O_RDWR = 2;
    static final int O_CREAT = 0x40;
    static final int O_EXCL = 0x80;
    static final int O_TRUNC = 0x200;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    static final int SEEK_END = 2;

    /** {@code struct pollfd}: int fd, short events, short revents. */
    static final long POLLFD_SIZE = 8;
    /**
     * {@code struct epoll_event}: uint32 events, then the 64-bit data; packed (12 bytes) on x86-64, naturally
     * aligned (16 bytes) elsewhere.
     */
    static final boolean EPOLL_PACKED = isX86();
    static final long EPOLL_EVENT_SIZE = EPOLL_PACKED ? 12 : 16;
    static final long EPOLL_DATA_OFFSET = EPOLL_PACKED ? 4 : 8;
    /** {@code struct iovec}: void *base, size_t len. */
    static final long IOVEC_SIZE = 16;
    /** {@code struct msghdr} on LP64. */
    static final StructLayout MSGHDR = MemoryLayout.structLayout(
            ADDRESS.withName("msg_name"), JAVA_INT.withName("msg_namelen"), MemoryLayout.paddingLayout(4),
            ADDRESS.withName("msg_iov"), JAVA_LONG.withName("msg_iovlen"),
            ADDRESS.withName("msg_control"), JAVA_LONG.withName("msg_controllen"),
            JAVA_INT.withName("msg_flags"), MemoryLayout.paddingLayout(4));

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final ThreadLocal<MemorySegment> CAPTURED = ThreadLocal.withInitial(
            () -> Arena.ofAuto().allocate(CAPTURE));

    private static final MethodHandle SOCKET = bind("socket", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle BIND = bind("bind", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle LISTEN = bind("listen", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle ACCEPT4 = bind("accept4", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
    private static final MethodHandle CONNECT = bind("connect", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle RECV = bind("recv", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);
    private static final MethodHandle SEND = bind("send", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);
    private static final MethodHandle SENDMSG = bind("sendmsg", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle READV = bind("readv", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle SHUTDOWN = bind("shutdown", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle CLOSE = bind("close", JAVA_INT, JAVA_INT);
    private static final MethodHandle GETSOCKOPT =
            bind("getsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle SETSOCKOPT =
            bind("setsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle GETSOCKNAME = bind("getsockname", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle GETPEERNAME = bind("getpeername", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle POLL = bind("poll", JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);
    private static final MethodHandle EVENTFD = bind("eventfd", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle EPOLL_CREATE1 = bind("epoll_create1", JAVA_INT, JAVA_INT);
    private static final MethodHandle EPOLL_CTL = bind("epoll_ctl", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);
    private static final MethodHandle EPOLL_WAIT = bind("epoll_wait", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final MethodHandle READ = bind("read", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
    private static final MethodHandle WRITE = bind("write", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);

    /**
     * The file calls, bound when the first file is opened: each downcall shape costs its own linking (milliseconds
     * in a fresh JVM), which a process that only uses sockets should not pay.
     */
    private static final class FileCalls {
        static final MethodHandle OPEN = bindVariadic("open", 2, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
        static final MethodHandle PREAD = bind("pread", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG);
        static final MethodHandle PWRITE = bind("pwrite", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG);
        static final MethodHandle LSEEK = bind("lseek", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT);
        static final MethodHandle FSYNC = bind("fsync", JAVA_INT, JAVA_INT);
        static final MethodHandle SENDFILE = bind("sendfile", JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG);
        static final MethodHandle FCNTL = bindVariadic("fcntl", 2, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);

        private FileCalls() {
        }
    }

    private Libc() {
    }

    private static boolean isX86() {
        String arch = System.getProperty("os.arch", "");
        return arch.equals("amd64") || arch.equals("x86_64");
    }

    private static MethodHandle bind(String name, ValueLayout result, ValueLayout... arguments) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(symbol, FunctionDescriptor.of(result, arguments),
                Linker.Option.captureCallState("errno"));
    }

    /** {@code open(path, flags, mode)}: the mode is a variadic argument. */
    private static MethodHandle bindVariadic(String name, int firstVariadic, ValueLayout result,
            ValueLayout... arguments) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(symbol, FunctionDescriptor.of(result, arguments),
                Linker.Option.firstVariadicArg(firstVariadic), Linker.Option.captureCallState("errno"));
    }

    /** The errno of this thread's last call through this class. */
    static int errno() {
        return (int) ERRNO.get(CAPTURED.get(), 0L);
    }

    private static MemorySegment captured() {
        return CAPTURED.get();
    }

    static int socket(int domain, int type, int protocol) {
        try {
            return (int) SOCKET.invokeExact(captured(), domain, type, protocol);
        } catch (Throwable e) {
            throw fatal(e);
        }
    }

    static int bind(int fd, MemorySegment address, int length) {
        try {
            return (int) BIND.invokeExact(captured(), fd, address, length);
        } catch (Throwable e) {
            throw fatal(e);
        }
    }

    static int listen(int fd, int backlog) {
        try {
            return (int) LISTEN.invokeExact(captured(), fd, backlog);
        } catch (Throwable e) {
            throw fatal(e);
        }
    }

    static int accept4(int fd, MemorySegment address, MemorySegment length, int flags) {
        try {
            return (int) ACCEPT4.invokeExact(captured(), fd, address, length, flags);
        } catch (Throwable e) {
            throw fatal(e);
        }
    }

    static int connect(int fd, MemorySegment address, int length) {
        try {
            return (int) CONNECT.invokeExact(captured(), fd, address, length);
        } catch (Throwable e) {
            throw fatal(e);
        }
    }

    static long recv(int fd, MemorySegment buffer, long length, int flags) {
        try {
            return (long) RECV.invokeExact(captured(), fd, buffer, length, flags);
        } catch (Throwable e) {
            throw fatal(e);
        }
    }

    static long send(int fd, MemorySegment buffer, long length, int flags) {
        try {
            return (long) SEND.invokeExact(captured(), fd, buffer, length, flags);
        } catch (Throwable e) {
            throw fatal(e);
        }
    }

    static long sendmsg(int fd, MemorySegment msghdr, int flags) {
        try {
            return (long) SENDMSG.invokeExact(captured(), fd, msghdr, flags);
        } catch (Throwable e) {
            throw fatal(e);
        }
    }

    static long readv(int fd, MemorySegment iovecs, int count) {
        try {
            return (long) READV.invokeExact(captured(), fd, iovecs, count);
        } catch (Throwable e) {
            throw fatal(e);
        }
    }

    static int shutdown(int fd, int how) {
        try {
            return (int) SHUTDOWN.invokeExact(captured(), fd, how);
        } catch (Throwable e) {
            throw fatal(e);
        }
    }

    static int close(int fd) {
        try {
            return (int) CLOSE.invokeExact(captured(), fd);
        } catch (Throwable e) {
            throw fatal(e);
        }
    }

    static int getsockopt(int fd, int level, int option, MemorySegment value, MemorySegment length) {
        try {
            return (int) GETSOCKOPT.invokeExact(captured(), fd, level, option, value, length);
        } catch (Throwable e) {
            throw fatal(e);
        }
    }

    static int setsockopt(int fd, int level, int option, MemorySegment value, int length) {
        try {
            return (int) SETSOCKOPT.invokeExact(captured(), fd, level, option, value, length);
        } catch (Throwable e) {
            throw fatal(e);
        }
    }

    static int getsockname(int fd, MemorySegment address, MemorySegment length) {
        try {
            return (int) GETSOCKNAME.invokeExact(captured(), fd, address, length);
        } catch (Throwable e) {
            throw fatal(e);
        }
    }

    static int getpeername(int fd, MemorySegment address, MemorySegment length) {
        try {
            return (int) GETPEERNAME.invokeExact(captured(), fd, address, length);
        } catch (Throwable e) {
            throw fatal(e);
        }
    }

    static int poll(MemorySegment fds, long count, int timeoutMillis) {
        try {
            return (int) POLL.invokeExact(captured(), fds, count, timeoutMillis);
        } catch (Throwable e) {
            throw fatal(e);
        }
    }

    static int eventfd(int initial, int flags) {
        try {
            return (int) EVENTFD.invokeExact(captured(), initial, flags);
        } catch (Throwable e) {
            throw fatal(e);
        }
    }

    static int epollCreate(int flags) {
        try {
            return (int) EPOLL_CREATE1.invokeExact(captured(), flags);
        } catch (Throwable e) {
            throw fatal(e);
        }
    }

    /** {@code event} is one {@code struct epoll_event} ({@link #EPOLL_EVENT_SIZE} bytes), or NULL for DEL. */
    static int epollCtl(int epfd, int op, int fd, MemorySegment event) {
        try {
            return (int) EPOLL_CTL.invokeExact(captured(), epfd, op, fd, event);
        } catch (Throwable e) {
            throw fatal(e);
        }
    }

    static int epollWait(int epfd, MemorySegment events, int maxEvents, int timeoutMillis) {
        try {
            return (int) EPOLL_WAIT.invokeExact(captured(), epfd, events, maxEvents, timeoutMillis);
        } catch (Throwable e) {
            throw fatal(e);
        }
    }

    static long read(int fd, MemorySegment buffer, long length) {
        try {
            return (long) READ.invokeExact(captured(), fd, buffer, length);
        } catch (Throwable e) {
            throw fatal(e);
        }
    }

    static long write(int fd, MemorySegment buffer, long length) {
        try {
            return (long) WRITE.invokeExact(captured(), fd, buffer, length);
        } catch (Throwable e) {
            throw fatal(e);
        }
    }

    static int open(MemorySegment path, int flags, int mode) {
        try {
            return (int) FileCalls.OPEN.invokeExact(captured(), path, flags, mode);
        } catch (Throwable e) {
            throw fatal(e);
        }
    }

    static long pread(int fd, MemorySegment buffer, long length, long offset) {
        try {
            return (long) FileCalls.PREAD.invokeExact(captured(), fd, buffer, length, offset);
        } catch (Throwable e) {
            throw fatal(e);
        }
    }

    static long pwrite(int fd, MemorySegment buffer, long length, long offset) {
        try {
            return (long) FileCalls.PWRITE.invokeExact(captured(), fd, buffer, length, offset);
        } catch (Throwable e) {
            throw fatal(e);
        }
    }

    static long lseek(int fd, long offset, int whence) {
        try {
            return (long) FileCalls.LSEEK.invokeExact(captured(), fd, offset, whence);
        } catch (Throwable e) {
            throw fatal(e);
        }
    }

    /** {@code sendfile(out, in, offset, count)}: reads from {@code *offset} and advances it, not the file's offset. */
    static long sendfile(int out, int in, MemorySegment offset, long count) {
        try {
            return (long) FileCalls.SENDFILE.invokeExact(captured(), out, in, offset, count);
        } catch (Throwable e) {
            throw fatal(e);
        }
    }

    /** {@code fcntl(fd, F_DUPFD_CLOEXEC, 0)}: a second descriptor of the same open file. */
    static int duplicate(int fd) {
        try {
            return (int) FileCalls.FCNTL.invokeExact(captured(), fd, F_DUPFD_CLOEXEC, 0);
        } catch (Throwable e) {
            throw fatal(e);
        }
    }

    static int fsync(int fd) {
        try {
            return (int) FileCalls.FSYNC.invokeExact(captured(), fd);
        } catch (Throwable e) {
            throw fatal(e);
        }
    }

    private static Error fatal(Throwable e) {
        if (e instanceof Error error) {
            throw error;
        }
        if (e instanceof RuntimeException runtime) {
            throw runtime;
        }
        return new AssertionError("a libc downcall threw a checked exception", e);
    }
}
