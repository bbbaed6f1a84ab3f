package dev.dxreactor.transport.iocp.socket;

import dev.dxreactor.transport.iocp.WindowsException;
import dev.dxreactor.transport.iocp.WindowsKernel;
import dev.dxreactor.transport.iocp.Winsock;
import io.netty.channel.AbstractChannel;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelPromise;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeUnit;

/**
 * A Netty channel on one Winsock TCP socket, whichever way its I/O is driven (completions or AFD polls): the
 * socket, its open and active state, its addresses, its options and the connect promise with its timeout.
 *
 * <p>The socket is opened at bind or connect with the address family of the address (Winsock sockets are IPv4
 * or IPv6, not both), or given by the listener for accepted connections; the options set before it existed are
 * applied when it opens ({@link #socketOpened()}).
 */
public abstract class AbstractWinsockChannel extends AbstractChannel {

    private static final ChannelMetadata METADATA = new ChannelMetadata(false, 16);

    protected final WindowsKernel kernel;
    protected long socket = Winsock.INVALID_HANDLE;
    protected boolean ipv6;
    private volatile boolean open = true;
    protected volatile boolean active;
    protected volatile InetSocketAddress local;
    protected volatile InetSocketAddress remote;

    private ChannelPromise connectPromise;
    private Future<?> connectTimeout;
    private SocketAddress requestedRemote;

    protected AbstractWinsockChannel(Channel parent, WindowsKernel kernel) {
        super(parent);
        this.kernel = kernel;
    }

    /** A channel for a socket that exists already (an accepted connection). */
    protected AbstractWinsockChannel(Channel parent, WindowsKernel kernel, long socket, boolean ipv6)
            throws WindowsException {
        this(parent, kernel);
        this.socket = socket;
        this.ipv6 = ipv6;
        kernel.setNonBlocking(socket, true);
    }

    /** Opens the socket for {@code address}'s family on first use, then calls {@link #socketOpened()}. */
    protected final void ensureSocket(SocketAddress address) throws IOException {
        if (socket != Winsock.INVALID_HANDLE) {
            return;
        }
        if (!open) {
            throw new ClosedChannelException();
        }
        boolean v6 = address instanceof InetSocketAddress inet && inet.getAddress() instanceof Inet6Address;
        long s = kernel.socket(v6 ? Winsock.AF_INET6 : Winsock.AF_INET, Winsock.SOCK_STREAM, Winsock.IPPROTO_TCP);
        try {
            // Non-blocking for recv/send/accept loops; overlapped calls pend regardless.
            kernel.setNonBlocking(s, true);
        } catch (WindowsException e) {
            kernel.closeSocket(s);
            throw e;
        }
        socket = s;
        ipv6 = v6;
        socketOpened();
    }

    /** The socket just opened: apply the options the user set before it existed. */
    protected abstract void socketOpened() throws IOException;

    /** Whether the channel is open and its socket exists. */
    public final boolean hasOpenSocket() {
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

    /** {@code SO_LINGER} of the open socket, or {@code fallback} while there is none. */
    final int linger(int fallback) {
        if (hasOpenSocket()) {
            try {
                return kernel.linger(socket);
            } catch (WindowsException e) {
                throw new ChannelException(e);
            }
        }
        return fallback;
    }

    /** Sets {@code SO_LINGER} now, if the socket exists. */
    final void setLinger(int seconds) {
        if (hasOpenSocket()) {
            try {
                kernel.setLinger(socket, seconds);
            } catch (WindowsException e) {
                throw new ChannelException(e);
            }
        }
    }

    /** Auto-read was turned off: stop reading after what is in flight (called from any thread). */
    protected abstract void clearReadPendingOnLoop();

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isActive() {
        return open && active;
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

    /** Shuts the output down on the channel's loop, through the unsafe (which fails and releases what is queued). */
    protected final ChannelFuture shutdownOutputOnLoop(ChannelPromise promise) {
        EventLoop loop = eventLoop();
        if (loop.inEventLoop()) {
            ((AbstractUnsafe) unsafe()).shutdownOutput(promise);
        } else {
            loop.execute(() -> ((AbstractUnsafe) unsafe()).shutdownOutput(promise));
        }
        return promise;
    }

    /** Listens on the bound socket; a listener is active from then on. */
    protected final void listen(int backlog) throws IOException {
        try {
            kernel.listen(socket, backlog);
        } catch (WindowsException e) {
            throw SocketErrors.translate(e);
        }
        active = true;
    }

    /**
     * Starts connecting (the socket is bound or opened first as needed).
     *
     * @return whether the connection is established already; otherwise its outcome comes later through the
     *     unsafe's own completion path
     */
    protected abstract boolean doConnect(SocketAddress remoteAddress, SocketAddress localAddress) throws Exception;

    /** A connect succeeded (after {@code channelActive}). */
    protected void activated() {
    }

    @Override
    protected void doClose() throws Exception {
        open = false;
        active = false;
        abortConnect();
        long s = socket;
        if (s != Winsock.INVALID_HANDLE) {
            if (forgetSocketOnClose()) {
                socket = Winsock.INVALID_HANDLE;
            }
            // Closing ends whatever the kernel still has on the socket; those packets still come and release
            // their memory through the registration.
            kernel.closeSocket(s);
        }
    }

    /**
     * Whether {@link #doClose()} drops the socket value: Windows reuses socket values, so by default nothing may
     * name it after it is closed.
     */
    protected boolean forgetSocketOnClose() {
        return true;
    }

    /** Fails a pending connect with {@link ClosedChannelException} and stops its timeout. */
    protected final void abortConnect() {
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
    }

    /** The promise of the connect in progress, or {@code null}. */
    protected final ChannelPromise connectPromise() {
        return connectPromise;
    }

    /** The connect in progress is over (either way): no promise, no timeout, no target. */
    protected final void endConnect() {
        Future<?> timeout = connectTimeout;
        if (timeout != null) {
            timeout.cancel(false);
            connectTimeout = null;
        }
        connectPromise = null;
        requestedRemote = null;
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) super.localAddress();
    }

    /** The peer's address; always {@code null} for a listener. */
    @Override
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) super.remoteAddress();
    }

    @Override
    protected SocketAddress localAddress0() {
        return local;
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return remote;
    }

    protected static InetSocketAddress checkInet(SocketAddress address) {
        if (!(address instanceof InetSocketAddress inet)) {
            throw new UnsupportedOperationException("Winsock channels take InetSocketAddress, not "
                    + (address == null ? "null" : address.getClass().getName()));
        }
        if (inet.isUnresolved()) {
            throw new UnresolvedAddressException();
        }
        return inet;
    }

    /** The connect of a Winsock channel: one at a time, with the configured timeout, failed when cancelled. */
    protected abstract class AbstractWinsockUnsafe extends AbstractUnsafe {

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
                            // Closing ends the pending connect (a cancelled ConnectEx, a poll's LOCAL_CLOSE).
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

        /** Completes a connect that succeeded: the promise, then {@code channelActive}, then {@link #activated}. */
        protected final void fulfillConnect(ChannelPromise promise, boolean wasActive) {
            if (promise == null) {
                return;
            }
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
        }

        /** Fails a connect that did not succeed and closes the channel. */
        protected final void failConnect(ChannelPromise promise, Throwable cause) {
            if (promise != null) {
                Throwable translated = cause instanceof WindowsException w ? SocketErrors.translate(w) : cause;
                promise.tryFailure(annotateConnectException(translated, requestedRemote));
            }
            closeIfClosed();
            close(voidPromise());
        }
    }
}
