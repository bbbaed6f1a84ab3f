package dev.dxreactor.transport.iocp.channel;

import dev.dxreactor.transport.iocp.Overlapped;
import dev.dxreactor.transport.iocp.Win32File;
import dev.dxreactor.transport.iocp.WindowsException;
import dev.dxreactor.transport.iocp.WindowsKernel;
import dev.dxreactor.transport.iocp.Winsock;
import dev.dxreactor.transport.iocp.WsaBuf;
import io.netty.buffer.ByteBuf;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * One overlapped operation: its native block (the {@code OVERLAPPED}, then its {@code WSABUF}s or AcceptEx
 * address slots) and everything the kernel uses while it is outstanding (the buffers it reads or writes, the
 * socket an AcceptEx accepts into). All of it belongs to the operation from submission until its packet has
 * been dequeued, also after a cancel or a close; only then is it released and the block reused. Loop thread only.
 */
final class IocpOperation {

    enum Kind { ACCEPT, CONNECT, RECV, SEND }

    /** WSABUFs per gathering send. */
    static final int MAX_GATHER = 256;

    static final long SMALL_BLOCK = Overlapped.LAYOUT.byteSize() + WsaBuf.SIZE + 2L * Winsock.ACCEPTEX_ADDRESS_LENGTH;
    static final long GATHER_BLOCK = Overlapped.LAYOUT.byteSize() + WsaBuf.SIZE * MAX_GATHER;

    private final MemorySegment overlapped;
    private final MemorySegment tail;
    private final boolean gather;

    private Kind kind;
    IocpRegistration registration;
    /** Receive target, or the copy of a FileRegion's bytes being sent. */
    ByteBuf buffer;
    /** Buffers a send reads from, retained until its packet so that a close cannot free them under the kernel. */
    final List<ByteBuf> pinned = new ArrayList<>();
    long bytesSubmitted;
    int wsaBufCount;
    /** A send of a FileRegion's copied bytes (a TransmitFile has {@link #transmitFile} instead). */
    boolean fileRegion;
    /** The file a TransmitFile sends from, opened for this operation and closed with it. */
    long transmitFile = Win32File.INVALID_HANDLE_VALUE;
    /** The socket an AcceptEx accepts into, until a channel takes it. */
    long acceptSocket = Winsock.INVALID_HANDLE;
    boolean acceptIpv6;

    IocpOperation(MemorySegment block, boolean gather) {
        this.overlapped = block.asSlice(0, Overlapped.LAYOUT.byteSize());
        this.tail = block.asSlice(Overlapped.LAYOUT.byteSize());
        this.gather = gather;
    }

    Kind kind() {
        return kind;
    }

    IocpOperation start(Kind newKind, IocpRegistration owner) {
        kind = newKind;
        registration = owner;
        Overlapped.reset(overlapped);
        return this;
    }

    boolean isGather() {
        return gather;
    }

    /** Its OVERLAPPED: the packet's {@code lpOverlapped} is this address. */
    MemorySegment overlapped() {
        return overlapped;
    }

    long address() {
        return overlapped.address();
    }

    /** The WSABUF array (one entry, or {@link #MAX_GATHER} for a gathering send). */
    MemorySegment wsaBufs() {
        return tail;
    }

    int wsaBufCapacity() {
        return gather ? MAX_GATHER : 1;
    }

    /** The two AcceptEx address slots (local, remote). */
    MemorySegment acceptAddresses() {
        return tail.asSlice(WsaBuf.SIZE, 2L * Winsock.ACCEPTEX_ADDRESS_LENGTH);
    }

    void releasePinned() {
        for (ByteBuf buf : pinned) {
            buf.release();
        }
        pinned.clear();
    }

    /**
     * Releases what the operation held once its packet is in: buffers, the file a TransmitFile sent from, and an
     * accept socket nobody took.
     */
    void release(WindowsKernel kernel) {
        if (buffer != null) {
            buffer.release();
            buffer = null;
        }
        releasePinned();
        if (transmitFile != Win32File.INVALID_HANDLE_VALUE) {
            try {
                kernel.closeHandle(transmitFile);
            } catch (WindowsException e) {
                IocpIoHandler.LOG.debug("closing a transmitted file failed", e);
            }
            transmitFile = Win32File.INVALID_HANDLE_VALUE;
        }
        if (acceptSocket != Winsock.INVALID_HANDLE) {
            try {
                kernel.closeSocket(acceptSocket);
            } catch (WindowsException e) {
                IocpIoHandler.LOG.debug("closing an unused accept socket failed", e);
            }
            acceptSocket = Winsock.INVALID_HANDLE;
        }
        bytesSubmitted = 0;
        wsaBufCount = 0;
        fileRegion = false;
        registration = null;
        kind = null;
    }
}
