package dev.dxreactor.transport.iocp.internal;

import dev.dxreactor.transport.iocp.NtStatus;
import dev.dxreactor.transport.iocp.Overlapped;
import dev.dxreactor.transport.iocp.Win32Error;
import dev.dxreactor.transport.iocp.WindowsException;
import dev.dxreactor.transport.iocp.Winsock;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Overlapped socket operations: {@code AcceptEx}, {@code ConnectEx}, {@code WSARecv}, {@code WSASend}, their
 * context updates, and {@code CancelIoEx}. Each is queued on its socket (reads and writes apart, each in order)
 * under the socket's lock, and completes through its port; AcceptEx also holds the socket it accepts into.
 */
final class EmuOverlapped {

    private final EmuHandles handles;
    private final EmuPorts ports;
    private final EmuWinsock winsock;
    private final EmuFaults faults;
    /** AcceptEx and ConnectEx that finish inside the call succeed at once, as Windows may, instead of pending. */
    private volatile boolean acceptAndConnectInline;
    /** Bytes every TransmitFile of this kernel sent. */
    private final LongAdder transmitted = new LongAdder();

    EmuOverlapped(EmuHandles handles, EmuPorts ports, EmuWinsock winsock, EmuFaults faults) {
        this.handles = handles;
        this.ports = ports;
        this.winsock = winsock;
        this.faults = faults;
    }

    /** Queues {@code op} and tries it at once (its locks held). */
    private int submit(OverlappedOperation op) throws WindowsException {
        int failure = faults.takeOverlappedFailure();
        if (failure != Win32Error.ERROR_SUCCESS) {
            op.ended();
            throw WindowsException.win32(op.function, failure);
        }
        EmuSocket s = op.socket;
        if (s.port == null) {
            op.ended();
            throw new IllegalStateException(op.function + " on a socket that is not associated with a completion port"
                    + " (the emulated kernel delivers overlapped results only through a port)");
        }
        Overlapped.reset(op.overlapped);
        ArrayDeque<OverlappedOperation> queue = op.isRead() ? s.reads : s.writes;
        queue.addLast(op);
        if (queue.size() == 1 && op.attempt(EmuSocket.Scratch.local())) {
            queue.pollFirst();
            boolean acceptOrConnect =
                    op instanceof OverlappedOperation.Connect || op instanceof OverlappedOperation.Accept;
            if (acceptOrConnect && !(acceptAndConnectInline && op.status == NtStatus.SUCCESS)
                    || op instanceof OverlappedOperation.Transmit && op.status == NtStatus.SUCCESS) {
                // Linux may finish (or refuse) a loopback connect, and accept a waiting client, inside the call;
                // AcceptEx and ConnectEx under Wine pend and report through their packet in both cases (the
                // conformance scenarios acceptex-with-a-waiting-client, connectex-succeeds, connectex-refused).
                // TransmitFile under Wine pends even when the whole file fits the socket at once
                // (transmitfile-sends-the-whole-file), and fails at once when it could not start.
                ports.completeOverlapped(op, false);
                return Win32Error.ERROR_IO_PENDING;
            }
            if (op.status != NtStatus.SUCCESS) {
                // Failed at once: the call returns SOCKET_ERROR with the Winsock code and queues no packet.
                op.ended();
                throw WindowsException.win32(op.function, NtStatus.toWinsock(op.status));
            }
            ports.completeOverlapped(op, true);
            return Win32Error.ERROR_SUCCESS;
        }
        ports.watch(s, s.port);
        return Win32Error.ERROR_IO_PENDING;
    }

    void completeAcceptAndConnectInline(boolean inline) {
        acceptAndConnectInline = inline;
    }

    int acceptEx(long listener, long acceptSocket, MemorySegment buffer, int addressLength,
            MemorySegment overlapped) throws WindowsException {
        if (addressLength < Winsock.ACCEPTEX_ADDRESS_LENGTH || buffer.byteSize() < 2L * addressLength) {
            throw WindowsException.win32("AcceptEx", Win32Error.WSAEINVAL);
        }
        EmuSocket l = handles.socket("AcceptEx", listener);
        EmuSocket target = handles.socket("AcceptEx", acceptSocket);
        try (EmuLocks held = EmuLocks.closure(List.of(l, target))) {
            if (l.closed || target.closed) {
                throw WindowsException.win32("AcceptEx", Win32Error.WSAENOTSOCK);
            }
            ports.touch(l);
            ports.touch(target);
            if (l.state != EmuSocket.State.LISTENING || target.bound || target.state != EmuSocket.State.UNCONNECTED) {
                throw WindowsException.win32("AcceptEx", Win32Error.WSAEINVAL);
            }
            return submit(new OverlappedOperation.Accept(l, target, buffer, addressLength, overlapped));
        }
    }

    static InetSocketAddress[] acceptExAddresses(MemorySegment buffer, int addressLength) {
        return new InetSocketAddress[] {
            SockAddr.read(buffer, Winsock.AF_INET6), SockAddr.read(buffer.asSlice(addressLength), Winsock.AF_INET6)
        };
    }

    void updateAcceptContext(long accepted, long listener) throws WindowsException {
        EmuSocket a = handles.socket("setsockopt", accepted);
        EmuSocket l = handles.socket("setsockopt", listener);
        try (EmuLocks held = winsock.hold(a, "setsockopt")) {
            if (a.acceptedFrom != l) {
                throw WindowsException.win32("setsockopt", Win32Error.WSAENOTCONN);
            }
        }
    }

    int connectEx(long socket, InetSocketAddress remote, MemorySegment overlapped) throws WindowsException {
        EmuSocket s = handles.socket("ConnectEx", socket);
        try (EmuLocks held = winsock.hold(s, "ConnectEx")) {
            if (!s.bound) {
                throw WindowsException.win32("ConnectEx", Win32Error.WSAEINVAL);
            }
            if (s.state != EmuSocket.State.UNCONNECTED) {
                throw WindowsException.win32("ConnectEx", Win32Error.WSAEISCONN);
            }
            EmuWinsock.startConnect("ConnectEx", s, remote);
            return submit(new OverlappedOperation.Connect(s, overlapped));
        }
    }

    void updateConnectContext(long socket) throws WindowsException {
        EmuSocket s = handles.socket("setsockopt", socket);
        try (EmuLocks held = winsock.hold(s, "setsockopt")) {
            if (!s.connectedByConnectEx) {
                throw WindowsException.win32("setsockopt", Win32Error.WSAENOTCONN);
            }
        }
    }

    int wsaRecv(long socket, MemorySegment wsaBufs, int count, MemorySegment overlapped) throws WindowsException {
        EmuSocket s = handles.socket("WSARecv", socket);
        try (EmuLocks held = winsock.hold(s, "WSARecv")) {
            return submit(new OverlappedOperation.Recv(s, overlapped, wsaBufs, count));
        }
    }

    int wsaSend(long socket, MemorySegment wsaBufs, int count, MemorySegment overlapped) throws WindowsException {
        EmuSocket s = handles.socket("WSASend", socket);
        try (EmuLocks held = winsock.hold(s, "WSASend")) {
            return submit(new OverlappedOperation.Send(s, overlapped, wsaBufs, count));
        }
    }

    /** {@code fileFd} belongs to the operation from here on, also when the call fails. */
    int transmitFile(long socket, int fileFd, long offset, int bytes, MemorySegment overlapped)
            throws WindowsException {
        OverlappedOperation.Transmit op;
        EmuLocks held;
        try {
            EmuSocket s = handles.socket("TransmitFile", socket);
            op = new OverlappedOperation.Transmit(s, overlapped, fileFd, offset, bytes, transmitted);
            held = winsock.hold(s, "TransmitFile");
        } catch (WindowsException | RuntimeException e) {
            Libc.close(fileFd);
            throw e;
        }
        try (held) {
            return submit(op);
        }
    }

    long transmitted() {
        return transmitted.sum();
    }

    boolean cancelIoEx(long handle, MemorySegment overlapped) throws WindowsException {
        EmuSocket s = handles.socket("CancelIoEx", handle);
        // A cancel that loses the race completes the operation, which for an AcceptEx reaches its target.
        try (EmuLocks held = EmuLocks.closure(List.of(s))) {
            if (s.closed) {
                throw WindowsException.win32("CancelIoEx", Win32Error.WSAENOTSOCK);
            }
            ports.touch(s);
            boolean found = false;
            boolean race = faults.takeCancelRace();
            for (ArrayDeque<OverlappedOperation> queue : List.of(s.reads, s.writes)) {
                for (OverlappedOperation op : new ArrayList<>(queue)) {
                    if (overlapped != null && !overlapped.equals(MemorySegment.NULL)
                            && op.overlapped.address() != overlapped.address()) {
                        continue;
                    }
                    if (race && queue.peekFirst() == op && op.attempt(EmuSocket.Scratch.local())) {
                        queue.remove(op);
                        ports.completeOverlapped(op, false);
                        continue;
                    }
                    queue.remove(op);
                    op.status = NtStatus.CANCELLED;
                    op.bytes = op.cancelledBytes();
                    ports.completeOverlapped(op, false);
                    found = true;
                }
            }
            return found;
        }
    }
}
