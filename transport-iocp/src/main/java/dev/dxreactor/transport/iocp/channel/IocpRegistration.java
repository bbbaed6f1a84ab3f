package dev.dxreactor.transport.iocp.channel;

import dev.dxreactor.transport.iocp.WindowsException;
import dev.dxreactor.transport.iocp.Winsock;
import io.netty.channel.IoOps;
import io.netty.channel.IoRegistration;

/**
 * One handle's registration with an {@link IocpIoHandler}: how many of its operations are outstanding. It stays
 * with the handler, holding those operations' memory, until the last packet has arrived, also after the channel
 * closed or deregistered. Loop thread only.
 */
final class IocpRegistration implements IoRegistration {

    private final IocpIoHandler handler;
    private final IocpIoHandle handle;
    private final IocpIoEvent event = new IocpIoEvent();
    private int outstanding;
    private boolean valid = true;

    IocpRegistration(IocpIoHandler handler, IocpIoHandle handle) {
        this.handler = handler;
        this.handle = handle;
    }

    IocpIoHandle handle() {
        return handle;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T attachment() {
        return (T) handler;
    }

    /** Completion handles have no interest to arm: operations are submitted one by one ({@link #acquire}). */
    @Override
    public long submit(IoOps ops) {
        throw new UnsupportedOperationException("IOCP handles submit overlapped operations, not interest");
    }

    @Override
    public boolean isValid() {
        return valid;
    }

    /**
     * Ends the handle's registration. Outstanding operations are cancelled ({@code CancelIoEx}); their packets
     * still arrive and release their memory, and only after the last one does the handler forget this.
     */
    @Override
    public boolean cancel() {
        handler.checkInLoop("cancel");
        if (!valid) {
            return false;
        }
        valid = false;
        cancelOutstanding();
        handler.settle(this);
        handle.unregistered();
        return true;
    }

    /** {@code CancelIoEx(socket, NULL)} when anything is outstanding on an open socket. */
    void cancelOutstanding() {
        long socket = handle.socket();
        if (outstanding > 0 && socket != Winsock.INVALID_HANDLE) {
            try {
                handler.kernel().cancelIoEx(socket, null);
            } catch (WindowsException e) {
                // A closed socket: closing already cancelled everything, and those packets are on their way.
                IocpIoHandler.LOG.trace("CancelIoEx on a closed socket", e);
            }
        }
    }

    int outstanding() {
        return outstanding;
    }

    /** A fresh operation of this registration, for one submission. */
    IocpOperation acquire(IocpOperation.Kind kind, boolean gather) {
        return handler.acquire(gather).start(kind, this);
    }

    /** The kernel took {@code op} (pending or done at once): its packet will come. */
    void submitted(IocpOperation op) {
        submitted(op, false);
    }

    /**
     * The kernel took {@code op}. {@code completedInline}: it succeeded inside the call on a socket that skips
     * the port on success, so no packet will come; it is completed by the handler as if its packet had arrived,
     * before the loop next dequeues, not from inside the submitting call.
     */
    void submitted(IocpOperation op, boolean completedInline) {
        outstanding++;
        handler.inFlight(op);
        if (completedInline) {
            handler.completedInline(op);
        }
    }

    /** The submission of {@code op} failed: no packet will come, so its memory goes back now. */
    void notSubmitted(IocpOperation op) {
        handler.recycle(op);
    }

    /** The packet of {@code op} arrived. */
    boolean completed(IocpOperation op, int status, int bytes) {
        outstanding--;
        try {
            if (valid) {
                handle.handle(this, event.reset(op, status, bytes));
                return true;
            }
            return false;
        } finally {
            handler.recycle(op);
            if (!valid) {
                handler.settle(this);
            }
        }
    }
}
