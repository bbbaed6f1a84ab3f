package dev.dxreactor.transport.iocp.channel;

import dev.dxreactor.transport.iocp.NtStatus;
import dev.dxreactor.transport.iocp.WindowsException;
import dev.dxreactor.transport.iocp.WindowsKernel;
import dev.dxreactor.transport.iocp.Winsock;
import io.netty.channel.AbstractChannel;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelPromise;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.PromiseNotifier;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeUnit;

/**
 * What the IOCP socket channels share: the socket, its association with the loop's port, the registration that
 * counts the channel's outstanding operations, and connecting with {@code ConnectEx}.
 *
 * <p>The socket is opened at bind or connect with the address family of the address (Winsock sockets are IPv4
 * or IPv6, not both), or given by the listener for accepted connections. A socket is associated with one port for
 * life, so a channel cannot move to another event loop once its socket exists.
 */
public abstract class AbstractIocpChannel extends AbstractChannel {

    final WindowsKernel kernel;
    long socket = Winsock.INVALID_HANDLE;
    boolean ipv6;
    boolean bound;
    private volatile boolean open = true;
    volatile boolean active;
    volatile InetSocketAddress local;
    volatile InetSocketAddress remote;

    private IoRegistration registration;
    /** The handler's own registration (the loop hands the channel a wrapper of it). */
    IocpRegistration iocp;
    private long associatedPort;

    private ChannelPromise connectPromise;
    private DelayedClose delayedClose;
    private Future<?> connectTimeout;
    private SocketAddress requestedRemote;

    AbstractIocpChannel(Channel parent) {
        super(parent);
        this.kernel = Iocp.kernel();
    }

    /** A channel for a socket that exists already (an accepted connection). */
    AbstractIocpChannel(Channel parent, long socket, boolean ipv6) throws WindowsException {
        this(parent);
        this.socket = socket;
        this.ipv6 = ipv6;
        this.bound = true;
        kernel.setNonBlocking(socket, true);
    }

    /** Opens the socket for {@code address}'s family on first use, then applies the options set before. */
    final void ensureSocket(SocketAddress address) throws IOException {
        if (socket != Winsock.INVALID_HANDLE) {
            return;
        }
        if (!open) {
            throw new ClosedChannelException();
        }
        boolean v6 = address instanceof InetSocketAddress inet && inet.getAddress() instanceof Inet6Address;
        long s = kernel.socket(v6 ? Winsock.AF_INET6 : Winsock.AF_INET, Winsock.SOCK_STREAM, Winsock.IPPROTO_TCP);
        try {
            // Non-blocking for the recv loop after a zero-byte read; overlapped calls pend regardless.
            kernel.setNonBlocking(s, true);
        } catch (WindowsException e) {
            kernel.closeSocket(s);
            throw e;
        }
        socket = s;
        ipv6 = v6;
        socketOpened();
        associate();
    }

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

    final boolean hasOpenSocket() {
        return socket != Winsock.INVALID_HANDLE && isOpen();
    }

    /** Sets an int socket option now, if the socket exists; the config applies it at open otherwise. */
    final void setIntOption(int level, int option, int value) {
        if (hasOpenSocket()) {
            try {
                kernel.setSocketOption(socket, level, option, value);
            } catch (WindowsException e) {
                throw new ChannelException(e);
            }
        }
    }

    /** An int socket option, or {@code fallback} (the value set for later) while there is no socket. */
    final int intOption(int level, int option, int fallback) {
        if (hasOpenSocket()) {
            try {
                return kernel.getSocketOption(socket, level, option);
            } catch (WindowsException e) {
                throw new ChannelException(e);
            }
        }
        return fallback;
    }

    /** Applies the options the user set before the socket existed. */
    abstract void socketOpened() throws IOException;

    /** Stops reading when auto-read was turned off: no read is posted after the one in flight. */
    final void clearReadPendingOnLoop() {
        if (isRegistered() && !eventLoop().inEventLoop()) {
            eventLoop().execute(() -> ((AbstractIocpUnsafe) unsafe()).readPending = false);
        } else {
            ((AbstractIocpUnsafe) unsafe()).readPending = false;
        }
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isActive() {
        return open && active;
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

    /** A connect succeeded (after {@code channelActive}). */
    void activated() {
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
        InetSocketAddress address = checkInet(localAddress);
        ensureSocket(address);
        try {
            kernel.bind(socket, address);
        } catch (WindowsException e) {
            throw SocketErrors.translate(e);
        }
        bound = true;
        local = kernel.localAddress(socket);
    }

    @Override
    protected void doClose() throws Exception {
        open = false;
        active = false;
        ChannelPromise promise = connectPromise;
        if (promise != null) {
            connectPromise = null;
            promise.tryFailure(new ClosedChannelException());
        }
        Future<?> timeout = connectTimeout;
        if (timeout != null) {
            connectTimeout = null;
            timeout.cancel(false);
        }
        long s = socket;
        if (s != Winsock.INVALID_HANDLE) {
            // Socket values are reused by Windows: nothing may name this one after it is closed.
            socket = Winsock.INVALID_HANDLE;
            // Closing cancels every pending operation; their packets (STATUS_CANCELLED) still come and release
            // the operations' memory through the registration.
            kernel.closeSocket(s);
        }
    }

    @Override
    protected SocketAddress localAddress0() {
        return local;
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return remote;
    }

    static InetSocketAddress checkInet(SocketAddress address) {
        if (!(address instanceof InetSocketAddress inet)) {
            throw new UnsupportedOperationException("IOCP channels take InetSocketAddress, not "
                    + (address == null ? "null" : address.getClass().getName()));
        }
        if (inet.isUnresolved()) {
            throw new UnresolvedAddressException();
        }
        return inet;
    }

    /** Starts a {@code ConnectEx}; its packet finishes the connect. */
    private void startConnect(SocketAddress remoteAddress, SocketAddress localAddress) throws Exception {
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
    }

    /** The part of {@link Channel.Unsafe} that is the {@link IocpIoHandle}. */
    abstract class AbstractIocpUnsafe extends AbstractUnsafe implements IocpIoHandle {

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
            ChannelPromise connect = connectPromise;
            if (connect != null) {
                connectPromise = null;
                connect.tryFailure(new ClosedChannelException());
            }
            Future<?> timeout = connectTimeout;
            if (timeout != null) {
                connectTimeout = null;
                timeout.cancel(false);
            }
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

        @Override
        public void connect(SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
            if (promise.isDone() || !ensureOpen(promise)) {
                return;
            }
            try {
                if (connectPromise != null) {
                    throw new ConnectionPendingException();
                }
                startConnect(remoteAddress, localAddress);
                connectPromise = promise;
                requestedRemote = remoteAddress;
                int timeoutMillis = config().getConnectTimeoutMillis();
                if (timeoutMillis > 0) {
                    connectTimeout = eventLoop().schedule(() -> {
                        ChannelPromise p = connectPromise;
                        if (p != null && p.tryFailure(new ConnectTimeoutException(
                                "connection timed out after " + timeoutMillis + " ms: " + remoteAddress))) {
                            // Closing cancels the ConnectEx; its packet arrives with STATUS_CANCELLED.
                            close(voidPromise());
                        }
                    }, timeoutMillis, TimeUnit.MILLISECONDS);
                }
                promise.addListener(f -> {
                    if (f.isCancelled()) {
                        Future<?> timeout = connectTimeout;
                        if (timeout != null) {
                            timeout.cancel(false);
                        }
                        connectPromise = null;
                        close(voidPromise());
                    }
                });
            } catch (Throwable t) {
                closeIfClosed();
                promise.tryFailure(annotateConnectException(t, remoteAddress));
            }
        }

        private void connectCompleted(IocpIoEvent event) {
            ChannelPromise promise = connectPromise;
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
                connectPromise = null;
                // Active is read before the promise's listeners run: one of them may close the channel at once.
                boolean activeNow = isActive();
                boolean promiseSet = promise.trySuccess();
                if (!wasActive && activeNow) {
                    pipeline().fireChannelActive();
                }
                activated();
                if (!promiseSet) {
                    close(voidPromise());
                }
            } catch (Throwable t) {
                connectPromise = null;
                Throwable cause = t instanceof WindowsException w ? SocketErrors.translate(w) : t;
                promise.tryFailure(annotateConnectException(cause, requestedRemote));
                closeIfClosed();
                close(voidPromise());
            } finally {
                Future<?> timeout = connectTimeout;
                if (timeout != null) {
                    timeout.cancel(false);
                    connectTimeout = null;
                }
                requestedRemote = null;
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
