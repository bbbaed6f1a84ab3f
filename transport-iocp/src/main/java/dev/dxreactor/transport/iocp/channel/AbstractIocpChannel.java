package dev.dxreactor.transport.iocp.channel;

import dev.dxreactor.transport.iocp.NtStatus;
import dev.dxreactor.transport.iocp.WindowsException;
import dev.dxreactor.transport.iocp.Winsock;
import dev.dxreactor.transport.iocp.socket.AbstractWinsockChannel;
import dev.dxreactor.transport.iocp.socket.SocketErrors;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.util.concurrent.PromiseNotifier;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;

/**
 * What the IOCP socket channels share: the socket's association with the loop's port, the registration that
 * counts the channel's outstanding operations, closing only after their packets, and connecting with
 * {@code ConnectEx}.
 *
 * <p>A socket is associated with one port for life, so a channel cannot move to another event loop once its
 * socket exists.
 */
public abstract class AbstractIocpChannel extends AbstractWinsockChannel {

    boolean bound;

    private IoRegistration registration;
    /** The handler's own registration (the loop hands the channel a wrapper of it). */
    IocpRegistration iocp;
    private long associatedPort;

    private DelayedClose delayedClose;

    AbstractIocpChannel(Channel parent) {
        super(parent, Iocp.kernel());
    }

    /** A channel for a socket that exists already (an accepted connection). */
    AbstractIocpChannel(Channel parent, long socket, boolean ipv6) throws WindowsException {
        super(parent, Iocp.kernel(), socket, ipv6);
        this.bound = true;
    }

    @Override
    protected final void socketOpened() throws IOException {
        applyOptions();
        associate();
    }

    /** Applies the options the user set before the socket existed. */
    abstract void applyOptions() throws IOException;

    /** Binds the socket to the loop's port once both exist; its packets carry {@link IocpIoHandler#SOCKET_KEY}. */
    final void associate() throws WindowsException {
        if (socket == Winsock.INVALID_HANDLE || iocp == null) {
            return;
        }
        long port = handler().port();
        if (associatedPort == 0) {
            kernel.associate(socket, port, IocpIoHandler.SOCKET_KEY);
            associatedPort = port;
        } else if (associatedPort != port) {
            throw new IllegalStateException("an IOCP channel's socket completes on its first event loop's port for "
                    + "life; it cannot be registered with another event loop");
        }
    }

    final IocpIoHandler handler() {
        return iocp.attachment();
    }

    /** Operations of this channel whose packet has not arrived yet (loop thread; for tests and diagnostics). */
    final int outstandingOperations() {
        return iocp == null ? 0 : iocp.outstanding();
    }

    /** Stops reading when auto-read was turned off: no read is posted after the one in flight. */
    @Override
    protected final void clearReadPendingOnLoop() {
        if (isRegistered() && !eventLoop().inEventLoop()) {
            eventLoop().execute(() -> ((AbstractIocpUnsafe) unsafe()).readPending = false);
        } else {
            ((AbstractIocpUnsafe) unsafe()).readPending = false;
        }
    }

    @Override
    protected boolean isCompatible(EventLoop loop) {
        return loop instanceof IoEventLoop ioLoop && ioLoop.isCompatible(AbstractIocpUnsafe.class);
    }

    @Override
    protected void doRegister(ChannelPromise promise) {
        ((IoEventLoop) eventLoop()).register((AbstractIocpUnsafe) unsafe()).addListener(f -> {
            if (!f.isSuccess()) {
                promise.setFailure(f.cause());
                return;
            }
            registration = (IoRegistration) f.getNow();
            try {
                associate();
                registered();
                promise.setSuccess();
            } catch (Throwable t) {
                registration.cancel();
                registration = null;
                iocp = null;
                promise.setFailure(t instanceof WindowsException w ? SocketErrors.translate(w) : t);
            }
        });
    }

    /** The channel is registered and its socket, if any, associated. */
    void registered() {
    }

    @Override
    protected void doDeregister() {
        IoRegistration r = registration;
        if (r != null) {
            registration = null;
            r.cancel();
        }
    }

    @Override
    protected void doBind(SocketAddress localAddress) throws Exception {
        super.doBind(localAddress);
        bound = true;
    }

    /** Starts a {@code ConnectEx}; its packet finishes the connect. */
    @Override
    protected final boolean doConnect(SocketAddress remoteAddress, SocketAddress localAddress) throws Exception {
        InetSocketAddress target = checkInet(remoteAddress);
        if (remote != null) {
            throw new AlreadyConnectedException();
        }
        if (localAddress != null) {
            doBind(localAddress);
        } else {
            ensureSocket(target);
        }
        if (!bound) {
            // ConnectEx needs a bound socket: the wildcard of the family, as libuv binds before ConnectEx.
            InetAddress any = ipv6 ? Inet6Address.getByName("::") : InetAddress.getByName("0.0.0.0");
            doBind(new InetSocketAddress(any, 0));
        }
        IocpOperation op = iocp.acquire(IocpOperation.Kind.CONNECT, false);
        try {
            kernel.connectEx(socket, target, op.overlapped());
        } catch (WindowsException e) {
            iocp.notSubmitted(op);
            throw SocketErrors.translate(e);
        }
        iocp.submitted(op);
        return false;
    }

    /** The part of {@link Channel.Unsafe} that is the {@link IocpIoHandle}. */
    abstract class AbstractIocpUnsafe extends AbstractWinsockUnsafe implements IocpIoHandle {

        boolean readPending;

        @Override
        public long socket() {
            return socket;
        }

        /** The handler's registration, handed over before the loop's wrapper of it reaches the channel. */
        final void attach(IocpRegistration r) {
            iocp = r;
        }

        @Override
        public void close() {
            close(voidPromise());
        }

        @Override
        public final void handle(IoRegistration r, IoEvent e) {
            IocpIoEvent event = (IocpIoEvent) e;
            iocp = (IocpRegistration) r;
            IocpOperation op = event.operation();
            try {
                if (op.kind() == IocpOperation.Kind.CONNECT) {
                    connectCompleted(event);
                } else {
                    completed(op, event);
                }
            } finally {
                closeIfNothingOutstanding();
            }
        }

        /** Whether a close waits for the packets of cancelled operations: nothing new may be submitted. */
        final boolean closing() {
            return delayedClose != null;
        }

        /**
         * Closes only once no operation is outstanding: the close cancels them all ({@code CancelIoEx}) and the
         * channel closes (failing and releasing its outbound buffer, closing the socket) when the last packet is
         * in, so the kernel never reads or writes memory the channel already gave back.
         */
        @Override
        protected void close(ChannelPromise promise, Throwable cause, ClosedChannelException closeCause) {
            if (closeFuture().isDone()) {
                promise.trySuccess();
                return;
            }
            if (delayedClose != null) {
                if (!promise.isVoid()) {
                    delayedClose.promise.addListener(new PromiseNotifier<>(false, promise));
                }
                return;
            }
            delayedClose = new DelayedClose(promise.isVoid() ? newPromise() : promise, cause, closeCause);
            abortConnect();
            if (iocp != null) {
                iocp.cancelOutstanding();
            }
            closeIfNothingOutstanding();
        }

        private void closeIfNothingOutstanding() {
            DelayedClose pending = delayedClose;
            if (pending != null && !closeFuture().isDone() && (iocp == null || iocp.outstanding() == 0)) {
                super.close(pending.promise, pending.cause, pending.closeCause);
            }
        }

        /** An operation other than a connect completed; whatever it holds is released after this returns. */
        abstract void completed(IocpOperation op, IocpIoEvent event);

        private void connectCompleted(IocpIoEvent event) {
            ChannelPromise promise = connectPromise();
            if (promise == null || !isOpen()) {
                return;
            }
            boolean wasActive = isActive();
            try {
                if (!event.succeeded()) {
                    throw SocketErrors.ofStatus("ConnectEx", event.status());
                }
                kernel.updateConnectContext(socket);
                remote = kernel.remoteAddress(socket);
                local = kernel.localAddress(socket);
                active = true;
                endConnect();
                fulfillConnect(promise, wasActive);
            } catch (Throwable t) {
                failConnect(promise, t);
            } finally {
                endConnect();
            }
        }
    }

    private record DelayedClose(ChannelPromise promise, Throwable cause, ClosedChannelException closeCause) {
    }

    /** Whether an operation ended because it was cancelled (a close, a timeout or a shutdown). */
    static boolean cancelled(IocpIoEvent event) {
        return event.status() == NtStatus.CANCELLED;
    }
}
