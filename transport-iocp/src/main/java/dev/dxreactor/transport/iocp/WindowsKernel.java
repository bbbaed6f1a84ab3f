package dev.dxreactor.transport.iocp;

import dev.dxreactor.transport.iocp.internal.EmulatedKernel;
import dev.dxreactor.transport.iocp.internal.RealKernel;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The Windows kernel surface the IOCP and AFD_POLL transports run on: completion ports, AFD_POLL and
 * Winsock, and overlapped file reads and writes. {@link #real()} binds kernel32, ntdll and ws2_32 with the
 * Foreign Function &amp; Memory API;
 * {@link #emulated()} reproduces the same semantics over Linux sockets for tests.
 *
 * <p>Handles and sockets are the raw {@code HANDLE}/{@code SOCKET} values. Calls that Windows reports with an
 * NTSTATUS ({@link #afdPoll}, {@link #cancelAfdPoll}) return it, because {@code STATUS_PENDING},
 * {@code STATUS_NOT_FOUND} and {@code STATUS_INVALID_HANDLE} are ordinary outcomes there; every other failure
 * is a {@link WindowsException} with the Win32 or Winsock code.
 *
 * <p><b>Memory of in-flight operations.</b> The {@code IO_STATUS_BLOCK} and {@code AFD_POLL_INFO} of a poll and
 * the {@code OVERLAPPED} (and buffers) of an overlapped operation belong to the operation from submission until
 * its completion packet has been dequeued (or, with skip-port-on-success, until the call returned success):
 * the kernel writes them at completion. They must not be freed or reused before, even after a cancel or after
 * closing the socket.
 *
 * <p><b>Threads.</b> Every call may be made from any thread; {@link #post} is how other threads wake a thread
 * blocked in {@link #dequeue}. Calls on one socket must not race with its {@link #closeSocket}.
 */
public interface WindowsKernel {

    /** {@link #recv}, {@link #send} and {@link #sendGather} return this when the call would block. */
    int WOULD_BLOCK = -1;

    /** Infinite timeout for {@link #dequeue}. */
    int INFINITE = -1;

    /** The kernel of Windows through FFM; on other systems it is unavailable, with the reason. */
    static WindowsKernel real() {
        return RealKernel.instance();
    }

    /**
     * A new emulated kernel over Linux sockets (only on Linux; elsewhere it is unavailable, with the reason).
     * Each one has its own handles and fault injection.
     */
    static EmulatedWindowsKernel emulated() {
        return EmulatedKernel.create();
    }

    /**
     * The kernel for this process: the real one on Windows; elsewhere the emulated one when the system
     * property {@code dx.windows.emulate} is {@code true}, else the (unavailable) real one, whose
     * {@link #unavailabilityCause()} says how to ask for emulation. The emulated kernel is never chosen
     * without that property.
     */
    static WindowsKernel current() {
        return KernelChoice.current();
    }

    /** {@code "windows"} or {@code "emulated"}. */
    String name();

    boolean isAvailable();

    /** Why {@link #isAvailable()} is false; {@code null} when it is available. */
    Throwable unavailabilityCause();

    // ---- completion ports

    /** {@code CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1)}: a new port for one dequeuing thread. */
    default long createCompletionPort() throws WindowsException {
        return createCompletionPort(1);
    }

    /**
     * {@code CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, concurrency)}: a new port that lets at most
     * {@code concurrency} threads run its packets at once (0: as many as processors).
     *
     * @throws IllegalArgumentException when {@code concurrency} is negative
     */
    long createCompletionPort(int concurrency) throws WindowsException;

    /**
     * Associates {@code handle} (a socket, an AFD helper or a {@link #createFile} handle) with {@code port}; its
     * packets carry {@code key}.
     */
    void associate(long handle, long port, long key) throws WindowsException;

    /** {@code SetFileCompletionNotificationModes}: {@link Winsock#FILE_SKIP_COMPLETION_PORT_ON_SUCCESS} and friends. */
    void setCompletionNotificationModes(long handle, int flags) throws WindowsException;

    /**
     * {@code GetQueuedCompletionStatusEx}: removes up to {@code entries.byteSize() / 32} packets into
     * {@code entries} ({@link OverlappedEntry}), waiting up to {@code timeoutMillis} ({@link #INFINITE}, or
     * 0 to poll) for the first. Returns how many were removed, 0 on timeout. Each entry's status is the
     * operation's NTSTATUS; failed operations are returned like the others.
     */
    int dequeue(long port, MemorySegment entries, int timeoutMillis) throws WindowsException;

    /** {@code PostQueuedCompletionStatus}: queues a packet, for example to wake the dequeuing thread. */
    void post(long port, long key, long overlapped, int bytes) throws WindowsException;

    /** {@code CloseHandle} for ports, AFD helpers and files (sockets: {@link #closeSocket}). */
    void closeHandle(long handle) throws WindowsException;

    // ---- AFD_POLL

    /**
     * Opens a helper handle on {@code \Device\Afd\<name>}: a carrier for polls of any socket, without being
     * one. Associate it with a port before polling through it.
     */
    long openAfdHelper(String name) throws WindowsException;

    /**
     * {@code NtDeviceIoControlFile(carrier, IOCTL_AFD_POLL)} with {@code pollInfo} as input and output and the
     * address of {@code ioStatusBlock} as ApcContext, so the packet's {@code lpOverlapped} is
     * {@code ioStatusBlock.address()}. The carrier is an AFD helper or a base socket.
     *
     * @return {@link NtStatus#PENDING}; {@link NtStatus#SUCCESS} when it completed at once (its results are in
     *         the memory already; a packet still follows unless the carrier skips the port on success); or a
     *         failure such as {@link NtStatus#INVALID_HANDLE} (a listed socket is closed), with no packet
     */
    int afdPoll(long carrier, MemorySegment ioStatusBlock, MemorySegment pollInfo);

    /**
     * {@code NtCancelIoFileEx(carrier, ioStatusBlock)}: asks to cancel a pending poll. Asynchronous: the poll's
     * packet (with {@link NtStatus#CANCELLED}, or its events if it completed first) always follows.
     *
     * @return {@link NtStatus#SUCCESS}, or {@link NtStatus#NOT_FOUND} when the poll was not pending any more
     */
    int cancelAfdPoll(long carrier, MemorySegment ioStatusBlock);

    // ---- Winsock

    /** {@code WSASocketW} with {@code WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT}, in blocking mode. */
    long socket(int addressFamily, int type, int protocol) throws WindowsException;

    /** {@code ioctlsocket(FIONBIO)}. */
    void setNonBlocking(long socket, boolean nonBlocking) throws WindowsException;

    void bind(long socket, InetSocketAddress address) throws WindowsException;

    void listen(long socket, int backlog) throws WindowsException;

    /** {@code accept}: the new socket, or {@link Winsock#INVALID_HANDLE} when a non-blocking listener has none. */
    long accept(long listener) throws WindowsException;

    /**
     * {@code connect}: true when connected at once; false when a non-blocking socket is connecting (the AFD
     * {@code CONNECT}/{@code CONNECT_FAIL} events and {@code SO_ERROR} tell the outcome).
     */
    boolean connect(long socket, InetSocketAddress remote) throws WindowsException;

    /** {@code recv} into {@code buffer}: bytes read, 0 at end of stream, or {@link #WOULD_BLOCK}. */
    int recv(long socket, MemorySegment buffer, int flags) throws WindowsException;

    /** {@code send} from {@code buffer}: bytes sent or {@link #WOULD_BLOCK}. */
    int send(long socket, MemorySegment buffer, int flags) throws WindowsException;

    /** {@code WSASend} without OVERLAPPED from {@code count} {@link WsaBuf}s: bytes sent or {@link #WOULD_BLOCK}. */
    long sendGather(long socket, MemorySegment wsaBufs, int count) throws WindowsException;

    /** {@code shutdown} with {@link Winsock#SD_SEND} and friends. */
    void shutdown(long socket, int how) throws WindowsException;

    /** {@code closesocket}: pending polls of the socket complete with {@code LOCAL_CLOSE}. */
    void closeSocket(long socket) throws WindowsException;

    /** {@code getsockopt} of an int-valued option ({@link Winsock#SO_ERROR}, {@link Winsock#TCP_NODELAY}, ...). */
    int getSocketOption(long socket, int level, int option) throws WindowsException;

    /** {@code setsockopt} of an int-valued option. */
    void setSocketOption(long socket, int level, int option, int value) throws WindowsException;

    /** {@code SO_LINGER}: seconds, or a negative value to turn lingering off. */
    void setLinger(long socket, int seconds) throws WindowsException;

    /** {@code SO_LINGER}: seconds, or -1 when off. */
    int linger(long socket) throws WindowsException;

    InetSocketAddress localAddress(long socket) throws WindowsException;

    InetSocketAddress remoteAddress(long socket) throws WindowsException;

    /**
     * The base service provider's socket ({@code SIO_BASE_HANDLE}); when a layered provider refuses it, the
     * first of {@code SIO_BSP_HANDLE_POLL}, {@code SIO_BSP_HANDLE_SELECT}, {@code SIO_BSP_HANDLE} that answers
     * with another handle. AFD polls name base sockets.
     */
    long baseHandle(long socket) throws WindowsException;

    /**
     * {@code WSAEnumProtocolsW(NULL, ...)}: every entry of the Winsock catalog, base and layered providers alike.
     * Skip-completion-port-on-success is safe on sockets only when every one {@link WsaProtocolInfo#isIfs()}.
     */
    List<WsaProtocolInfo> enumProtocols() throws WindowsException;

    // ---- overlapped operations (the IOCP transport); return 0 when done at once, else ERROR_IO_PENDING

    /**
     * {@code AcceptEx} of a connection on {@code listener} into {@code acceptSocket} (a new, unbound socket),
     * receiving no data: {@code buffer} holds two address slots of {@code addressLength} bytes
     * ({@link Winsock#ACCEPTEX_ADDRESS_LENGTH} or more) for {@link #acceptExAddresses}. Then call
     * {@link #updateAcceptContext}.
     */
    int acceptEx(long listener, long acceptSocket, MemorySegment buffer, int addressLength,
            MemorySegment overlapped) throws WindowsException;

    /** {@code GetAcceptExSockaddrs} of a completed {@link #acceptEx}: {local, remote}. */
    InetSocketAddress[] acceptExAddresses(MemorySegment buffer, int addressLength) throws WindowsException;

    /** {@code setsockopt(SO_UPDATE_ACCEPT_CONTEXT)}. */
    void updateAcceptContext(long accepted, long listener) throws WindowsException;

    /** {@code ConnectEx} of a bound socket, sending no data; then call {@link #updateConnectContext}. */
    int connectEx(long socket, InetSocketAddress remote, MemorySegment overlapped) throws WindowsException;

    /** {@code setsockopt(SO_UPDATE_CONNECT_CONTEXT)}. */
    void updateConnectContext(long socket) throws WindowsException;

    /** {@code WSARecv} into {@code count} {@link WsaBuf}s; bytes and status land in {@code overlapped}. */
    int wsaRecv(long socket, MemorySegment wsaBufs, int count, MemorySegment overlapped) throws WindowsException;

    /** {@code WSASend} from {@code count} {@link WsaBuf}s; completes when all bytes are taken. */
    int wsaSend(long socket, MemorySegment wsaBufs, int count, MemorySegment overlapped) throws WindowsException;

    /**
     * {@code TransmitFile(socket, file, bytes, 0, overlapped, NULL, 0)}: sends {@code bytes} of {@code file} (a
     * {@link #createFile} handle with {@code GENERIC_READ}) from {@code offset}, which is written into the
     * OVERLAPPED's {@code Offset} and {@code OffsetHigh}; {@code bytes} 0 sends to the end of the file. Completes
     * when every byte has been taken by the socket or the file has ended; the packet's count says how many were
     * sent. Keep the file handle open until the packet has arrived.
     *
     * @throws IllegalArgumentException when {@code offset} is negative or {@code bytes} is negative or over
     *         {@link #TRANSMIT_FILE_MAX_BYTES}
     */
    int transmitFile(long socket, long file, long offset, int bytes, MemorySegment overlapped) throws WindowsException;

    /** The most bytes one {@link #transmitFile} sends: 2^31 - 2, TransmitFile's own limit. */
    int TRANSMIT_FILE_MAX_BYTES = Integer.MAX_VALUE - 1;

    /**
     * {@code CancelIoEx}: asks to cancel an overlapped operation; its packet (with {@code STATUS_CANCELLED}
     * unless it completed first) always follows. False when the operation was not pending any more.
     * {@code overlapped} {@code null} (or {@code MemorySegment.NULL}) cancels every operation pending on the handle.
     */
    boolean cancelIoEx(long handle, MemorySegment overlapped) throws WindowsException;

    // ---- files: overlapped ReadFile/WriteFile completing through a port

    /**
     * {@code CreateFileW(path, access, shareMode, NULL, disposition, flags | FILE_FLAG_OVERLAPPED, NULL)}
     * ({@link Win32File}): a file handle whose reads and writes complete through the port it is
     * {@link #associate}d with. Closed with {@link #closeHandle}, which cancels what is pending on it (their packets
     * still come). A directory cannot be opened this way ({@code ERROR_ACCESS_DENIED}).
     *
     * @throws WindowsException {@code ERROR_FILE_NOT_FOUND}, {@code ERROR_PATH_NOT_FOUND} (a missing directory on
     *         the way, or a file used as one), {@code ERROR_ACCESS_DENIED}, {@code ERROR_SHARING_VIOLATION}, ...
     */
    long createFile(String path, int access, int shareMode, int disposition, int flags) throws WindowsException;

    /**
     * {@code ReadFile} of up to {@code buffer.byteSize()} bytes (at most 4 GiB - 1) at {@code offset}, written
     * into the OVERLAPPED's {@code Offset} and {@code OffsetHigh}. The buffer and the OVERLAPPED belong to the
     * operation until its packet; the packet's status is {@link NtStatus#END_OF_FILE} at or past the end of the
     * file ({@code GetOverlappedResult}: {@code ERROR_HANDLE_EOF}) and its byte count what was read.
     *
     * @return 0 when done at once (its packet still follows), else {@code ERROR_IO_PENDING}
     * @throws WindowsException when it failed at once, with no packet: {@code ERROR_HANDLE_EOF} (Windows may
     *         report the end of the file this way too), {@code ERROR_INVALID_HANDLE}, ...
     */
    int readFile(long file, MemorySegment buffer, long offset, MemorySegment overlapped) throws WindowsException;

    /** {@code WriteFile} of {@code buffer} at {@code offset}; like {@link #readFile}, the packet gives the bytes written. */
    int writeFile(long file, MemorySegment buffer, long offset, MemorySegment overlapped) throws WindowsException;

    /** {@code GetFileSizeEx}. */
    long fileSize(long file) throws WindowsException;

    /** {@code FlushFileBuffers}: blocks until the file's data and metadata are on the device. */
    void flushFileBuffers(long file) throws WindowsException;
}
