package dev.dxreactor.transport.iocp.internal;

import dev.dxreactor.transport.iocp.Afd;
import dev.dxreactor.transport.iocp.AfdPollInfo;
import dev.dxreactor.transport.iocp.NtStatus;
import dev.dxreactor.transport.iocp.Win32Error;
import dev.dxreactor.transport.iocp.WindowsException;
import dev.dxreactor.transport.iocp.WindowsKernel;
import dev.dxreactor.transport.iocp.Winsock;
import dev.dxreactor.transport.iocp.WsaProtocolInfo;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The real kernel surface: FFM downcalls into kernel32, ntdll and ws2_32. Loaded only on Windows; elsewhere
 * every call fails with the reason it is unavailable.
 */
public final class RealKernel implements WindowsKernel {

    /** A catalog of more than 1 MiB (about 1,600 entries) is not believed. */
    private static final int MAX_PROTOCOL_BUFFER = 1 << 20;

    private static final RealKernel INSTANCE = new RealKernel();

    private final WinApi api;
    private final Throwable cause;

    private RealKernel() {
        WinApi loaded = null;
        Throwable failure = null;
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("windows")) {
            failure = new UnsupportedOperationException("the Windows kernel surface needs Windows; this is " + os
                    + ". Tests on other systems can ask for the emulated surface with -Ddx.windows.emulate=true"
                    + " (WindowsKernel.current()) or use WindowsKernel.emulated().");
        } else {
            try {
                loaded = new WinApi(Arena.global());
            } catch (Throwable e) {
                failure = e;
            }
        }
        api = loaded;
        cause = failure;
    }

    public static RealKernel instance() {
        return INSTANCE;
    }

    @Override
    public String name() {
        return "windows";
    }

    @Override
    public boolean isAvailable() {
        return cause == null;
    }

    @Override
    public Throwable unavailabilityCause() {
        return cause;
    }

    private WinApi api() {
        if (api == null) {
            throw new IllegalStateException("the Windows kernel surface is unavailable", cause);
        }
        return api;
    }

    private static MemorySegment cap() {
        return WinApi.captured();
    }

    private static RuntimeException rethrow(Throwable e) {
        return WinApi.rethrow(e);
    }

    private static void checkBool(String function, int result) throws WindowsException {
        if (result == 0) {
            throw WindowsException.win32(function, WinApi.lastError());
        }
    }

    private static void checkWsa(String function, int result) throws WindowsException {
        if (result != 0) {
            throw WindowsException.win32(function, WinApi.wsaLastError());
        }
    }

    // ---- completion ports

    @Override
    public long createCompletionPort(int concurrency) throws WindowsException {
        if (concurrency < 0) {
            throw new IllegalArgumentException("completion port concurrency must be >= 0, not " + concurrency);
        }
        long port;
        try {
            port = (long) api().createIoCompletionPort.invokeExact(cap(), Winsock.INVALID_HANDLE, 0L, 0L, concurrency);
        } catch (Throwable e) {
            throw rethrow(e);
        }
        if (port == 0) {
            throw WindowsException.win32("CreateIoCompletionPort", WinApi.lastError());
        }
        return port;
    }

    @Override
    public void associate(long handle, long port, long key) throws WindowsException {
        long result;
        try {
            result = (long) api().createIoCompletionPort.invokeExact(cap(), handle, port, key, 0);
        } catch (Throwable e) {
            throw rethrow(e);
        }
        if (result != port) {
            throw WindowsException.win32("CreateIoCompletionPort", WinApi.lastError());
        }
    }

    @Override
    public void setCompletionNotificationModes(long handle, int flags) throws WindowsException {
        try {
            checkBool("SetFileCompletionNotificationModes",
                    (int) api().setFileCompletionNotificationModes.invokeExact(cap(), handle, (byte) flags));
        } catch (WindowsException e) {
            throw e;
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    @Override
    public int dequeue(long port, MemorySegment entries, int timeoutMillis) throws WindowsException {
        int capacity = dev.dxreactor.transport.iocp.OverlappedEntry.capacity(entries);
        if (capacity < 1) {
            throw new IllegalArgumentException("room for no OVERLAPPED_ENTRY in " + entries.byteSize() + " bytes");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment removed = arena.allocate(ValueLayout.JAVA_INT);
            int ok = (int) api().getQueuedCompletionStatusEx.invokeExact(cap(), port, entries, capacity, removed,
                    timeoutMillis, 0);
            if (ok == 0) {
                int error = WinApi.lastError();
                if (error == Win32Error.WAIT_TIMEOUT) {
                    return 0;
                }
                throw WindowsException.win32("GetQueuedCompletionStatusEx", error);
            }
            return removed.get(ValueLayout.JAVA_INT, 0);
        } catch (WindowsException e) {
            throw e;
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    @Override
    public void post(long port, long key, long overlapped, int bytes) throws WindowsException {
        try {
            checkBool("PostQueuedCompletionStatus",
                    (int) api().postQueuedCompletionStatus.invokeExact(cap(), port, bytes, key, overlapped));
        } catch (WindowsException e) {
            throw e;
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    @Override
    public void closeHandle(long handle) throws WindowsException {
        try {
            checkBool("CloseHandle", (int) api().closeHandle.invokeExact(cap(), handle));
        } catch (WindowsException e) {
            throw e;
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    // ---- AFD_POLL

    @Override
    public long openAfdHelper(String name) throws WindowsException {
        if (name == null || name.isEmpty() || name.contains("\\")) {
            throw new IllegalArgumentException("an AFD helper name is one path element, not '" + name + "'");
        }
        char[] path = ("\\Device\\Afd\\" + name).toCharArray();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment chars = arena.allocate(2L * path.length, 2);
            MemorySegment.copy(path, 0, chars, ValueLayout.JAVA_CHAR, 0, path.length);
            MemorySegment unicode = arena.allocate(NtLayouts.UNICODE_STRING);
            unicode.set(ValueLayout.JAVA_SHORT, 0, (short) (2 * path.length));
            unicode.set(ValueLayout.JAVA_SHORT, 2, (short) (2 * path.length));
            unicode.set(ValueLayout.ADDRESS, 8, chars);
            MemorySegment attributes = arena.allocate(NtLayouts.OBJECT_ATTRIBUTES);
            attributes.set(ValueLayout.JAVA_INT, 0, (int) NtLayouts.OBJECT_ATTRIBUTES.byteSize());
            attributes.set(ValueLayout.ADDRESS, 16, unicode);
            MemorySegment handle = arena.allocate(ValueLayout.JAVA_LONG);
            MemorySegment iosb = arena.allocate(16, 8);
            int status = (int) api().ntCreateFile.invokeExact(handle, NtLayouts.SYNCHRONIZE, attributes, iosb,
                    MemorySegment.NULL, 0, NtLayouts.FILE_SHARE_READ_WRITE, NtLayouts.FILE_OPEN, 0,
                    MemorySegment.NULL, 0);
            if (status != NtStatus.SUCCESS) {
                throw WindowsException.ntStatus("NtCreateFile(\\Device\\Afd\\" + name + ")", status);
            }
            return handle.get(ValueLayout.JAVA_LONG, 0);
        } catch (WindowsException e) {
            throw e;
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    @Override
    public int afdPoll(long carrier, MemorySegment ioStatusBlock, MemorySegment pollInfo) {
        int handles = AfdPollInfo.numberOfHandles(pollInfo);
        int size = (int) (AfdPollInfo.HANDLES + 16L * handles);
        if (handles < 1 || pollInfo.byteSize() < size) {
            throw new IllegalArgumentException("AFD_POLL_INFO names " + handles + " handles in "
                    + pollInfo.byteSize() + " bytes");
        }
        dev.dxreactor.transport.iocp.IoStatusBlock.reset(ioStatusBlock);
        try {
            return (int) api().ntDeviceIoControlFile.invokeExact(carrier, 0L, MemorySegment.NULL, ioStatusBlock,
                    ioStatusBlock, Afd.IOCTL_AFD_POLL, pollInfo, size, pollInfo, size);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    @Override
    public int cancelAfdPoll(long carrier, MemorySegment ioStatusBlock) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cancelStatus = arena.allocate(16, 8);
            return (int) api().ntCancelIoFileEx.invokeExact(carrier, ioStatusBlock, cancelStatus);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    // ---- Winsock

    @Override
    public long socket(int addressFamily, int type, int protocol) throws WindowsException {
        long socket;
        try {
            socket = (long) api().wsaSocketW.invokeExact(cap(), addressFamily, type, protocol, MemorySegment.NULL, 0,
                    Winsock.WSA_FLAG_OVERLAPPED | Winsock.WSA_FLAG_NO_HANDLE_INHERIT);
        } catch (Throwable e) {
            throw rethrow(e);
        }
        if (socket == Winsock.INVALID_HANDLE) {
            throw WindowsException.win32("WSASocketW", WinApi.wsaLastError());
        }
        return socket;
    }

    @Override
    public void setNonBlocking(long socket, boolean nonBlocking) throws WindowsException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment argument = arena.allocate(ValueLayout.JAVA_INT);
            argument.set(ValueLayout.JAVA_INT, 0, nonBlocking ? 1 : 0);
            checkWsa("ioctlsocket", (int) api().ioctlsocket.invokeExact(cap(), socket, Winsock.FIONBIO, argument));
        } catch (WindowsException e) {
            throw e;
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    private boolean isIpv6(long socket) throws WindowsException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = arena.allocate(SockAddr.MAX_SIZE, 8);
            MemorySegment length = arena.allocate(ValueLayout.JAVA_INT);
            length.set(ValueLayout.JAVA_INT, 0, SockAddr.MAX_SIZE);
            // ConnectEx needs a bound socket, so its name tells its family.
            int r = (int) api().getsockname.invokeExact(cap(), socket, address, length);
            return r == 0 && Short.toUnsignedInt(address.get(ValueLayout.JAVA_SHORT_UNALIGNED, 0)) == Winsock.AF_INET6;
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    @Override
    public void bind(long socket, InetSocketAddress address) throws WindowsException {
        sockaddrCall("bind", socket, address, api().bind);
    }

    private void sockaddrCall(String function, long socket, InetSocketAddress address,
            java.lang.invoke.MethodHandle handle) throws WindowsException {
        boolean ipv6 = address.getAddress() instanceof java.net.Inet6Address;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = arena.allocate(SockAddr.MAX_SIZE, 8);
            int length = SockAddr.write(sa, address, ipv6, Winsock.AF_INET6);
            checkWsa(function, (int) handle.invokeExact(cap(), socket, sa, length));
        } catch (WindowsException e) {
            throw e;
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    @Override
    public void listen(long socket, int backlog) throws WindowsException {
        try {
            checkWsa("listen", (int) api().listen.invokeExact(cap(), socket, backlog));
        } catch (WindowsException e) {
            throw e;
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    @Override
    public long accept(long listener) throws WindowsException {
        long socket;
        try {
            socket = (long) api().accept.invokeExact(cap(), listener, MemorySegment.NULL, MemorySegment.NULL);
        } catch (Throwable e) {
            throw rethrow(e);
        }
        if (socket == Winsock.INVALID_HANDLE) {
            int error = WinApi.wsaLastError();
            if (error == Win32Error.WSAEWOULDBLOCK) {
                return Winsock.INVALID_HANDLE;
            }
            throw WindowsException.win32("accept", error);
        }
        return socket;
    }

    @Override
    public boolean connect(long socket, InetSocketAddress remote) throws WindowsException {
        try {
            sockaddrCall("connect", socket, remote, api().connect);
            return true;
        } catch (WindowsException e) {
            if (e.code() == Win32Error.WSAEWOULDBLOCK) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public int recv(long socket, MemorySegment buffer, int flags) throws WindowsException {
        int n;
        try {
            n = (int) api().recv.invokeExact(cap(), socket, buffer, clampedLength(buffer), flags);
        } catch (Throwable e) {
            throw rethrow(e);
        }
        return transferred("recv", n);
    }

    @Override
    public int send(long socket, MemorySegment buffer, int flags) throws WindowsException {
        int n;
        try {
            n = (int) api().send.invokeExact(cap(), socket, buffer, clampedLength(buffer), flags);
        } catch (Throwable e) {
            throw rethrow(e);
        }
        return transferred("send", n);
    }

    private static int clampedLength(MemorySegment buffer) {
        return (int) Math.min(Integer.MAX_VALUE, buffer.byteSize());
    }

    private static int transferred(String function, int n) throws WindowsException {
        if (n >= 0) {
            return n;
        }
        int error = WinApi.wsaLastError();
        if (error == Win32Error.WSAEWOULDBLOCK) {
            return WOULD_BLOCK;
        }
        throw WindowsException.win32(function, error);
    }

    @Override
    public long sendGather(long socket, MemorySegment wsaBufs, int count) throws WindowsException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sent = arena.allocate(ValueLayout.JAVA_INT);
            int r = (int) api().wsaSend.invokeExact(cap(), socket, wsaBufs, count, sent, 0, MemorySegment.NULL,
                    MemorySegment.NULL);
            if (r == 0) {
                return Integer.toUnsignedLong(sent.get(ValueLayout.JAVA_INT, 0));
            }
            return transferred("WSASend", -1);
        } catch (WindowsException e) {
            throw e;
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    @Override
    public void shutdown(long socket, int how) throws WindowsException {
        try {
            checkWsa("shutdown", (int) api().shutdown.invokeExact(cap(), socket, how));
        } catch (WindowsException e) {
            throw e;
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    @Override
    public void closeSocket(long socket) throws WindowsException {
        try {
            checkWsa("closesocket", (int) api().closesocket.invokeExact(cap(), socket));
        } catch (WindowsException e) {
            throw e;
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    @Override
    public int getSocketOption(long socket, int level, int option) throws WindowsException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment length = arena.allocate(ValueLayout.JAVA_INT);
            length.set(ValueLayout.JAVA_INT, 0, 4);
            checkWsa("getsockopt", (int) api().getsockopt.invokeExact(cap(), socket, level, option, value, length));
            return value.get(ValueLayout.JAVA_INT, 0);
        } catch (WindowsException e) {
            throw e;
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    @Override
    public void setSocketOption(long socket, int level, int option, int value) throws WindowsException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(ValueLayout.JAVA_INT);
            v.set(ValueLayout.JAVA_INT, 0, value);
            checkWsa("setsockopt", (int) api().setsockopt.invokeExact(cap(), socket, level, option, v, 4));
        } catch (WindowsException e) {
            throw e;
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    @Override
    public void setLinger(long socket, int seconds) throws WindowsException {
        try (Arena arena = Arena.ofConfined()) {
            // struct linger { u_short l_onoff; u_short l_linger; }
            MemorySegment linger = arena.allocate(4, 2);
            linger.set(ValueLayout.JAVA_SHORT, 0, (short) (seconds >= 0 ? 1 : 0));
            linger.set(ValueLayout.JAVA_SHORT, 2, (short) Math.max(0, Math.min(0xFFFF, seconds)));
            checkWsa("setsockopt", (int) api().setsockopt.invokeExact(cap(), socket, Winsock.SOL_SOCKET,
                    Winsock.SO_LINGER, linger, 4));
        } catch (WindowsException e) {
            throw e;
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    @Override
    public int linger(long socket) throws WindowsException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment linger = arena.allocate(4, 2);
            MemorySegment length = arena.allocate(ValueLayout.JAVA_INT);
            length.set(ValueLayout.JAVA_INT, 0, 4);
            checkWsa("getsockopt", (int) api().getsockopt.invokeExact(cap(), socket, Winsock.SOL_SOCKET,
                    Winsock.SO_LINGER, linger, length));
            return linger.get(ValueLayout.JAVA_SHORT, 0) != 0
                    ? Short.toUnsignedInt(linger.get(ValueLayout.JAVA_SHORT, 2)) : -1;
        } catch (WindowsException e) {
            throw e;
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    @Override
    public InetSocketAddress localAddress(long socket) throws WindowsException {
        return name("getsockname", socket, api().getsockname);
    }

    @Override
    public InetSocketAddress remoteAddress(long socket) throws WindowsException {
        return name("getpeername", socket, api().getpeername);
    }

    private InetSocketAddress name(String function, long socket, java.lang.invoke.MethodHandle handle)
            throws WindowsException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = arena.allocate(SockAddr.MAX_SIZE, 8);
            MemorySegment length = arena.allocate(ValueLayout.JAVA_INT);
            length.set(ValueLayout.JAVA_INT, 0, SockAddr.MAX_SIZE);
            checkWsa(function, (int) handle.invokeExact(cap(), socket, sa, length));
            return SockAddr.read(sa, Winsock.AF_INET6);
        } catch (WindowsException e) {
            throw e;
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    @Override
    public long baseHandle(long socket) throws WindowsException {
        return BaseHandleResolver.resolve(socket, this::handleIoctl);
    }

    private long handleIoctl(long socket, int code) throws WindowsException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_LONG);
            MemorySegment returned = arena.allocate(ValueLayout.JAVA_INT);
            checkWsa("WSAIoctl", (int) api().wsaIoctl.invokeExact(cap(), socket, code, MemorySegment.NULL, 0, out, 8,
                    returned, MemorySegment.NULL, MemorySegment.NULL));
            return out.get(ValueLayout.JAVA_LONG, 0);
        } catch (WindowsException e) {
            throw e;
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    @Override
    public List<WsaProtocolInfo> enumProtocols() throws WindowsException {
        int length = 16 * (int) WsaProtocolInfo.SIZE;
        // The catalog may grow between the call that sizes the buffer and the one that fills it: try again then.
        for (int attempt = 0; attempt < 4; attempt++) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buffer = arena.allocate(length, 8);
                MemorySegment inOut = arena.allocate(ValueLayout.JAVA_INT);
                inOut.set(ValueLayout.JAVA_INT, 0, length);
                int count = (int) api().wsaEnumProtocolsW.invokeExact(cap(), MemorySegment.NULL, buffer, inOut);
                if (count == -1) {
                    int error = WinApi.wsaLastError();
                    int needed = inOut.get(ValueLayout.JAVA_INT, 0);
                    if (error != Win32Error.WSAENOBUFS || needed <= length || needed > MAX_PROTOCOL_BUFFER) {
                        throw WindowsException.win32("WSAEnumProtocolsW", error);
                    }
                    length = needed;
                    continue;
                }
                if (count < 0 || (long) count * WsaProtocolInfo.SIZE > length) {
                    throw new IllegalStateException("WSAEnumProtocolsW reported " + count + " entries in a buffer of "
                            + length + " bytes");
                }
                List<WsaProtocolInfo> entries = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    entries.add(WsaProtocolInfo.read(buffer, i));
                }
                return List.copyOf(entries);
            } catch (WindowsException | RuntimeException e) {
                throw e;
            } catch (Throwable e) {
                throw rethrow(e);
            }
        }
        throw WindowsException.win32("WSAEnumProtocolsW", Win32Error.WSAENOBUFS);
    }

    // ---- overlapped operations

    /** 0 when the call succeeded at once, ERROR_IO_PENDING when it is pending; else the failure is thrown. */
    private static int overlappedResult(String function, boolean succeeded) throws WindowsException {
        if (succeeded) {
            return Win32Error.ERROR_SUCCESS;
        }
        int error = WinApi.wsaLastError();
        if (error == Win32Error.ERROR_IO_PENDING) {
            return Win32Error.ERROR_IO_PENDING;
        }
        throw WindowsException.win32(function, error);
    }

    @Override
    public int acceptEx(long listener, long acceptSocket, MemorySegment buffer, int addressLength,
            MemorySegment overlapped) throws WindowsException {
        if (addressLength < Winsock.ACCEPTEX_ADDRESS_LENGTH || buffer.byteSize() < 2L * addressLength) {
            throw new IllegalArgumentException("AcceptEx needs two address slots of at least "
                    + Winsock.ACCEPTEX_ADDRESS_LENGTH + " bytes");
        }
        dev.dxreactor.transport.iocp.Overlapped.reset(overlapped);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment received = arena.allocate(ValueLayout.JAVA_INT);
            int ok = (int) api().acceptEx.invokeExact(cap(), listener, acceptSocket, buffer, 0, addressLength,
                    addressLength, received, overlapped);
            return overlappedResult("AcceptEx", ok != 0);
        } catch (WindowsException e) {
            throw e;
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    @Override
    public InetSocketAddress[] acceptExAddresses(MemorySegment buffer, int addressLength) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment local = arena.allocate(ValueLayout.ADDRESS);
            MemorySegment localLength = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment remote = arena.allocate(ValueLayout.ADDRESS);
            MemorySegment remoteLength = arena.allocate(ValueLayout.JAVA_INT);
            api().getAcceptExSockaddrs.invokeExact(buffer, 0, addressLength, addressLength, local, localLength, remote,
                    remoteLength);
            return new InetSocketAddress[] {
                SockAddr.read(local.get(ValueLayout.ADDRESS, 0).reinterpret(SockAddr.MAX_SIZE), Winsock.AF_INET6),
                SockAddr.read(remote.get(ValueLayout.ADDRESS, 0).reinterpret(SockAddr.MAX_SIZE), Winsock.AF_INET6)
            };
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    @Override
    public void updateAcceptContext(long accepted, long listener) throws WindowsException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(ValueLayout.JAVA_LONG);
            value.set(ValueLayout.JAVA_LONG, 0, listener);
            checkWsa("setsockopt(SO_UPDATE_ACCEPT_CONTEXT)", (int) api().setsockopt.invokeExact(cap(), accepted,
                    Winsock.SOL_SOCKET, Winsock.SO_UPDATE_ACCEPT_CONTEXT, value, 8));
        } catch (WindowsException e) {
            throw e;
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    @Override
    public int connectEx(long socket, InetSocketAddress remote, MemorySegment overlapped) throws WindowsException {
        dev.dxreactor.transport.iocp.Overlapped.reset(overlapped);
        boolean ipv6 = remote.getAddress() instanceof java.net.Inet6Address || isIpv6(socket);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = arena.allocate(SockAddr.MAX_SIZE, 8);
            int length = SockAddr.write(sa, remote, ipv6, Winsock.AF_INET6);
            int ok = (int) api().connectEx.invokeExact(cap(), socket, sa, length, MemorySegment.NULL, 0,
                    MemorySegment.NULL, overlapped);
            return overlappedResult("ConnectEx", ok != 0);
        } catch (WindowsException e) {
            throw e;
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    @Override
    public void updateConnectContext(long socket) throws WindowsException {
        try {
            checkWsa("setsockopt(SO_UPDATE_CONNECT_CONTEXT)", (int) api().setsockopt.invokeExact(cap(), socket,
                    Winsock.SOL_SOCKET, Winsock.SO_UPDATE_CONNECT_CONTEXT, MemorySegment.NULL, 0));
        } catch (WindowsException e) {
            throw e;
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    @Override
    public int wsaRecv(long socket, MemorySegment wsaBufs, int count, MemorySegment overlapped)
            throws WindowsException {
        dev.dxreactor.transport.iocp.Overlapped.reset(overlapped);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment flags = arena.allocate(ValueLayout.JAVA_INT);
            int r = (int) api().wsaRecv.invokeExact(cap(), socket, wsaBufs, count, MemorySegment.NULL, flags,
                    overlapped, MemorySegment.NULL);
            return overlappedResult("WSARecv", r == 0);
        } catch (WindowsException e) {
            throw e;
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    @Override
    public int wsaSend(long socket, MemorySegment wsaBufs, int count, MemorySegment overlapped)
            throws WindowsException {
        dev.dxreactor.transport.iocp.Overlapped.reset(overlapped);
        try {
            int r = (int) api().wsaSend.invokeExact(cap(), socket, wsaBufs, count, MemorySegment.NULL, 0, overlapped,
                    MemorySegment.NULL);
            return overlappedResult("WSASend", r == 0);
        } catch (WindowsException e) {
            throw e;
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    @Override
    public int transmitFile(long socket, long file, long offset, int bytes, MemorySegment overlapped)
            throws WindowsException {
        TransmitFileArguments.check(offset, bytes);
        dev.dxreactor.transport.iocp.Overlapped.reset(overlapped);
        dev.dxreactor.transport.iocp.Overlapped.setOffset(overlapped, offset);
        try {
            int ok = (int) api().transmitFile.invokeExact(cap(), socket, file, bytes, 0, overlapped,
                    MemorySegment.NULL, 0);
            return overlappedResult("TransmitFile", ok != 0);
        } catch (WindowsException e) {
            throw e;
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    @Override
    public boolean cancelIoEx(long handle, MemorySegment overlapped) throws WindowsException {
        int ok;
        try {
            ok = (int) api().cancelIoEx.invokeExact(cap(), handle, overlapped == null ? MemorySegment.NULL : overlapped);
        } catch (Throwable e) {
            throw rethrow(e);
        }
        if (ok != 0) {
            return true;
        }
        int error = WinApi.lastError();
        if (error == Win32Error.ERROR_NOT_FOUND) {
            return false;
        }
        throw WindowsException.win32("CancelIoEx", error);
    }

    // ---- files

    @Override
    public long createFile(String path, int access, int shareMode, int disposition, int flags)
            throws WindowsException {
        try (Arena arena = Arena.ofConfined()) {
            long file = (long) api().createFileW.invokeExact(cap(),
                    arena.allocateFrom(path, java.nio.charset.StandardCharsets.UTF_16LE), access, shareMode,
                    MemorySegment.NULL, disposition, flags | dev.dxreactor.transport.iocp.Win32File.FILE_FLAG_OVERLAPPED,
                    0L);
            if (file == dev.dxreactor.transport.iocp.Win32File.INVALID_HANDLE_VALUE) {
                throw WindowsException.win32("CreateFileW", WinApi.lastError());
            }
            return file;
        } catch (WindowsException e) {
            throw e;
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    @Override
    public int readFile(long file, MemorySegment buffer, long offset, MemorySegment overlapped)
            throws WindowsException {
        return fileTransfer("ReadFile", file, buffer, offset, overlapped);
    }

    @Override
    public int writeFile(long file, MemorySegment buffer, long offset, MemorySegment overlapped)
            throws WindowsException {
        return fileTransfer("WriteFile", file, buffer, offset, overlapped);
    }

    /** lpNumberOfBytes is NULL, as Microsoft asks for overlapped calls: the count comes in the packet. */
    private int fileTransfer(String function, long file, MemorySegment buffer, long offset, MemorySegment overlapped)
            throws WindowsException {
        if (buffer.byteSize() > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(function + " moves at most 4 GiB - 1 bytes, not " + buffer.byteSize());
        }
        dev.dxreactor.transport.iocp.Overlapped.reset(overlapped);
        dev.dxreactor.transport.iocp.Overlapped.setOffset(overlapped, offset);
        int ok;
        try {
            ok = function.equals("ReadFile")
                    ? (int) api().readFile.invokeExact(cap(), file, buffer, (int) buffer.byteSize(),
                            MemorySegment.NULL, overlapped)
                    : (int) api().writeFile.invokeExact(cap(), file, buffer, (int) buffer.byteSize(),
                            MemorySegment.NULL, overlapped);
        } catch (Throwable e) {
            throw rethrow(e);
        }
        if (ok != 0) {
            return Win32Error.ERROR_SUCCESS;
        }
        int error = WinApi.lastError();
        if (error == Win32Error.ERROR_IO_PENDING) {
            return Win32Error.ERROR_IO_PENDING;
        }
        throw WindowsException.win32(function, error);
    }

    @Override
    public long fileSize(long file) throws WindowsException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment size = arena.allocate(ValueLayout.JAVA_LONG);
            checkBool("GetFileSizeEx", (int) api().getFileSizeEx.invokeExact(cap(), file, size));
            return size.get(ValueLayout.JAVA_LONG, 0);
        } catch (WindowsException e) {
            throw e;
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    @Override
    public void flushFileBuffers(long file) throws WindowsException {
        int ok;
        try {
            ok = (int) api().flushFileBuffers.invokeExact(cap(), file);
        } catch (Throwable e) {
            throw rethrow(e);
        }
        checkBool("FlushFileBuffers", ok);
    }
}
