package dev.dxreactor.transport.iocp.channel;

import dev.dxreactor.transport.iocp.WindowsException;
import dev.dxreactor.transport.iocp.WindowsKernel;
import io.netty.channel.IoRegistration;

import java.lang.foreign.MemorySegment;

/**
 * An overlapped operation of an {@link IocpIoHandle} that is not a socket channel, for example a file read with
 * {@code ReadFile}: the loop's handler owns its {@code OVERLAPPED}, counts it as outstanding from
 * {@link #submitted()} until its packet has been dequeued, and hands that packet to the handle (found by the
 * OVERLAPPED's address, like the channels' operations) for as long as the handle's {@link Source} is
 * {@linkplain Source#isOpen() open}. The handle keeps the buffers the kernel uses until the packet arrives. Loop
 * thread only.
 *
 * <pre>{@code
 * IocpOverlappedOp.Source ops = IocpOverlappedOp.source(registration, handle);  // once, after registering
 * ops.associate(file);                                               // the file's packets come to this loop
 * IocpOverlappedOp op = ops.acquire();
 * kernel.readFile(file, buffer, offset, op.overlapped());            // 0 or ERROR_IO_PENDING: a packet follows
 * op.submitted();                                                    // if it threw instead: op.notSubmitted()
 * // later, in handle(registration, event): IocpOverlappedOp.address((IocpIoEvent) event) == op.address()
 * }</pre>
 */
public final class IocpOverlappedOp {

    private final IocpRegistration owner;
    private final IocpOperation operation;

    private IocpOverlappedOp(IocpRegistration owner, IocpOperation operation) {
        this.owner = owner;
        this.operation = operation;
    }

    /**
     * Where {@code handle}'s operations come from, on the loop {@code registration} (what registering
     * {@code handle} on an IOCP event loop gave) belongs to.
     *
     * @throws IllegalArgumentException when the registration is not one of an IOCP event loop
     */
    public static Source source(IoRegistration registration, IocpIoHandle handle) {
        if (!(registration.attachment() instanceof IocpIoHandler handler)) {
            throw new IllegalArgumentException("not a registration of an IOCP event loop: " + registration);
        }
        return new Source(handler, new IocpRegistration(handler, handle));
    }

    /** Its OVERLAPPED (32 bytes), the handler's until the packet. */
    public MemorySegment overlapped() {
        return operation.overlapped();
    }

    /** The address the packet's {@code lpOverlapped} carries. */
    public long address() {
        return operation.address();
    }

    /** The kernel took it (0 or {@code ERROR_IO_PENDING}): its packet will come. */
    public void submitted() {
        owner.submitted(operation);
    }

    /** The call failed at once: no packet will come, so the OVERLAPPED goes back to the handler now. */
    public void notSubmitted() {
        owner.notSubmitted(operation);
    }

    /** The OVERLAPPED address of the operation a completion is about. */
    public static long address(IocpIoEvent event) {
        return event.operation().address();
    }

    /** The operations of one handle on one IOCP loop, and the count of those outstanding. Loop thread only. */
    public static final class Source {

        private final IocpIoHandler handler;
        private final IocpRegistration counting;

        private Source(IocpIoHandler handler, IocpRegistration counting) {
            this.handler = handler;
            this.counting = counting;
        }

        /** The kernel the loop runs on. */
        public WindowsKernel kernel() {
            return handler.kernel();
        }

        /**
         * Associates {@code handle} (for example a file from {@link WindowsKernel#createFile}) with the loop's
         * completion port, so that the packets of its operations come to this loop.
         */
        public void associate(long handle) throws WindowsException {
            handler.kernel().associate(handle, handler.port(), IocpIoHandler.SOCKET_KEY);
        }

        /** A fresh operation; {@code write} only labels it in diagnostics. */
        public IocpOverlappedOp acquire(boolean write) {
            return new IocpOverlappedOp(counting,
                    counting.acquire(write ? IocpOperation.Kind.SEND : IocpOperation.Kind.RECV, false));
        }

        /** Operations submitted whose packet has not arrived yet. */
        public int outstanding() {
            return counting.outstanding();
        }

        /** Whether packets are still handed to the handle. */
        public boolean isOpen() {
            return counting.isValid();
        }
    }
}
