package dev.dxreactor.transport.afdpoll;

import dev.dxreactor.transport.iocp.Afd;
import dev.dxreactor.transport.iocp.WindowsException;
import dev.dxreactor.transport.iocp.WindowsKernel;
import dev.dxreactor.transport.iocp.Winsock;
import io.netty.channel.AbstractChannel;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelPromise;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.util.concurrent.Future;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeUnit;

/**
 * What the AFD_POLL socket channels share: the socket, its registration, the desired interest and connecting.
 *
 * <p>The socket is opened at bind or connect, with the address family of the address (Winsock sockets are
 * IPv4 or IPv6, not both), or given by the listener for accepted connections. Interest changes go to the
 * registration with {@link IoRegistration#submit}, which only records them: the loop arms the poll once per
 * iteration.
 */
public abstract class AbstractAfdPollChannel extends AbstractChannel {

    final WindowsKernel kernel;
    long socket = Winsock.INVALID_HANDLE;
    boolean ipv6;
    private volatile boolean open = true;
    volatile boolean active;
    volatile InetSocketAddress local;
    volatile InetSocketAddress remote;

    private AfdPollIoOps ops = AfdPollIoOps.NONE;
    private IoRegistration registration;

    private ChannelPromise connectPromise;
    private Future<?> connectTimeout;
    private SocketAddress requestedRemote;

    AbstractAfdPollChannel(Channel parent) {
        super(parent);
        this.kernel = AfdPoll.kernel();
    }

    /** A channel for a socket that exists already (an accepted connection). */
    AbstractAfdPollChannel(Channel parent, long socket, boolean ipv6) throws WindowsException {
        this(parent);
        this.socket = socket;
        this.ipv6 = ipv6;
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
            kernel.setNonBlocking(s, true);
        } catch (WindowsException e) {
            kernel.closeSocket(s);
            throw e;
        }
        socket = s;
        ipv6 = v6;
        socketOpened();
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

    /** The interest a connection keeps for as long as it is connected. */
    int connectedInterest() {
        return AfdPollIoOps.HANGUP;
    }

    /** The interest bit that {@link #doBeginRead()} asks for. */
    abstract int readInterest();

    final AfdPollIoOps ops() {
        return ops;
    }

    final void setOps(AfdPollIoOps newOps) {
        if (newOps != ops) {
            ops = newOps;
            IoRegistration r = registration;
            if (r != null && r.isValid()) {
                r.submit(newOps);
            }
        }
    }

    final void addInterest(int bits) {
        setOps(ops.with(bits));
    }

    final void removeInterest(int bits) {
        setOps(ops.without(bits));
    }

    /** Stops reading when auto-read was turned off: no pending read, no read interest. */
    final void clearReadPendingOnLoop() {
        if (isRegistered()) {
            EventLoop loop = eventLoop();
            if (loop.inEventLoop()) {
                ((AbstractAfdPollUnsafe) unsafe()).clearReadInterest();
            } else {
                loop.execute(() -> {
                    AbstractAfdPollUnsafe unsafe = (AbstractAfdPollUnsafe) unsafe();
                    if (!unsafe.readPending && !config().isAutoRead()) {
                        unsafe.clearReadInterest();
                    }
                });
            }
        } else {
            ((AbstractAfdPollUnsafe) unsafe()).readPending = false;
            ops = ops.without(readInterest());
        }
    }

    final IoRegistration registration() {
        return registration;
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
        return loop instanceof IoEventLoop ioLoop && ioLoop.isCompatible(AbstractAfdPollUnsafe.class);
    }

    @Override
    protected void doRegister(ChannelPromise promise) {
        ((IoEventLoop) eventLoop()).register((AbstractAfdPollUnsafe) unsafe()).addListener(f -> {
            if (f.isSuccess()) {
                registration = (IoRegistration) f.getNow();
                registration.submit(ops);
                promise.setSuccess();
            } else {
                promise.setFailure(f.cause());
            }
        });
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
    protected void doBeginRead() {
        ((AbstractAfdPollUnsafe) unsafe()).readPending = true;
        addInterest(readInterest());
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
            // A pending poll completes with LOCAL_CLOSE; its memory stays with the registration until that packet.
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
            throw new UnsupportedOperationException("AFD_POLL channels take InetSocketAddress, not "
                    + (address == null ? "null" : address.getClass().getName()));
        }
        if (inet.isUnresolved()) {
            throw new UnresolvedAddressException();
        }
        return inet;
    }

    /** Connects; true when connected at once, else the CONNECT interest is set and the outcome comes as an event. */
    boolean doConnect(SocketAddress remoteAddress, SocketAddress localAddress) throws Exception {
        InetSocketAddress target = checkInet(remoteAddress);
        if (remote != null) {
            throw new AlreadyConnectedException();
        }
        if (localAddress != null) {
            doBind(localAddress);
        } else {
            ensureSocket(target);
        }
        boolean connected;
        try {
            connected = kernel.connect(socket, target);
        } catch (WindowsException e) {
            throw SocketErrors.translate(e);
        }
        local = kernel.localAddress(socket);
        if (connected) {
            remote = kernel.remoteAddress(socket);
            active = true;
            addInterest(connectedInterest());
        } else {
            addInterest(AfdPollIoOps.CONNECT);
        }
        return connected;
    }

    /** The part of {@link Channel.Unsafe} that is the {@link AfdPollIoHandle}. */
    abstract class AbstractAfdPollUnsafe extends AbstractUnsafe implements AfdPollIoHandle {

        boolean readPending;
        /** The handler's registration, as it hands it to {@link #handle}; the channel's own is a wrapper of it. */
        AfdPollRegistration polled;

        @Override
        public long socket() {
            return socket;
        }

        @Override
        public void close() {
            close(voidPromise());
        }

        @Override
        public void handle(IoRegistration r, IoEvent e) {
            AfdPollIoEvent event = (AfdPollIoEvent) e;
            polled = (AfdPollRegistration) r;
            if (event.failed()) {
                pipeline().fireExceptionCaught(event.failureCause());
                close(voidPromise());
                return;
            }
            if (event.has(Afd.POLL_LOCAL_CLOSE)) {
                close(voidPromise());
                return;
            }
            if (event.has(Afd.POLL_CONNECT | Afd.POLL_CONNECT_FAIL) && connectPromise != null) {
                finishConnect();
            }
            if (event.has(Afd.POLL_SEND)) {
                forceFlush();
            }
            if (event.has(Afd.POLL_RECEIVE | Afd.POLL_DISCONNECT | Afd.POLL_ACCEPT)) {
                readReady();
            } else if (event.has(Afd.POLL_ABORT)) {
                if (ops().contains(readInterest())) {
                    readReady();
                } else {
                    forceFlush();
                }
            }
        }

        /** Reads what is ready: bytes, or connections for a listener. */
        abstract void readReady();

        final boolean shouldStopReading(ChannelConfig config) {
            return !readPending && !config.isAutoRead();
        }

        final void clearReadInterest() {
            readPending = false;
            removeInterest(readInterest());
        }

        /** Flushes now, also while SEND is wanted. */
        final void forceFlush() {
            if (isOpen()) {
                super.flush0();
            }
        }

        @Override
        protected final void flush0() {
            // While SEND is wanted the socket's buffer is full; the SEND event flushes.
            if (!ops().contains(AfdPollIoOps.WRITE)) {
                super.flush0();
            }
        }

        @Override
        public void connect(SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
            if (promise.isDone() || !ensureOpen(promise)) {
                return;
            }
            try {
                if (connectPromise != null) {
                    throw new ConnectionPendingException();
                }
                boolean wasActive = isActive();
                if (doConnect(remoteAddress, localAddress)) {
                    fulfillConnect(promise, wasActive);
                    return;
                }
                connectPromise = promise;
                requestedRemote = remoteAddress;
                int timeoutMillis = config().getConnectTimeoutMillis();
                if (timeoutMillis > 0) {
                    connectTimeout = eventLoop().schedule(() -> {
                        ChannelPromise p = connectPromise;
                        if (p != null && p.tryFailure(new ConnectTimeoutException(
                                "connection timed out after " + timeoutMillis + " ms: " + remoteAddress))) {
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

        private void finishConnect() {
            ChannelPromise promise = connectPromise;
            boolean wasActive = isActive();
            try {
                int error = kernel.getSocketOption(socket, Winsock.SOL_SOCKET, Winsock.SO_ERROR);
                if (error != 0) {
                    throw SocketErrors.translate(WindowsException.win32("connect", error));
                }
                setOps(ops().without(AfdPollIoOps.CONNECT).with(connectedInterest()));
                remote = kernel.remoteAddress(socket);
                local = kernel.localAddress(socket);
                active = true;
                fulfillConnect(promise, wasActive);
            } catch (Throwable t) {
                if (promise != null) {
                    promise.tryFailure(annotateConnectException(t, requestedRemote));
                }
                closeIfClosed();
                close(voidPromise());
            } finally {
                Future<?> timeout = connectTimeout;
                if (timeout != null) {
                    timeout.cancel(false);
                    connectTimeout = null;
                }
                connectPromise = null;
                requestedRemote = null;
            }
        }

        private void fulfillConnect(ChannelPromise promise, boolean wasActive) {
            if (promise == null) {
                return;
            }
            boolean activeNow = isActive();
            boolean promiseSet = promise.trySuccess();
            if (!wasActive && activeNow) {
                pipeline().fireChannelActive();
            }
            if (!promiseSet) {
                close(voidPromise());
            }
        }
    }
}
