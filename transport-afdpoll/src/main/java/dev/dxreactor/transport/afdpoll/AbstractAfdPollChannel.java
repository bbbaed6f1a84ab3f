package dev.dxreactor.transport.afdpoll;

import dev.dxreactor.transport.iocp.Afd;
import dev.dxreactor.transport.iocp.WindowsException;
import dev.dxreactor.transport.iocp.Winsock;
import dev.dxreactor.transport.iocp.socket.AbstractWinsockChannel;
import dev.dxreactor.transport.iocp.socket.SocketErrors;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.AlreadyConnectedException;

/**
 * What the AFD_POLL socket channels share: the registration, the desired interest and connecting.
 *
 * <p>Interest changes go to the registration with {@link IoRegistration#submit}, which only records them: the
 * loop arms the poll once per iteration.
 */
public abstract class AbstractAfdPollChannel extends AbstractWinsockChannel {

    private AfdPollIoOps ops = AfdPollIoOps.NONE;
    private IoRegistration registration;

    AbstractAfdPollChannel(Channel parent) {
        super(parent, AfdPoll.kernel());
    }

    /** A channel for a socket that exists already (an accepted connection). */
    AbstractAfdPollChannel(Channel parent, long socket, boolean ipv6) throws WindowsException {
        super(parent, AfdPoll.kernel(), socket, ipv6);
    }

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
    @Override
    protected final void clearReadPendingOnLoop() {
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

    /** A poll armed after the close finds the closed socket and reports LOCAL_CLOSE to its registration. */
    @Override
    protected final boolean forgetSocketOnClose() {
        return false;
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

    /** Connects; true when connected at once, else the CONNECT interest is set and the outcome comes as an event. */
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
    abstract class AbstractAfdPollUnsafe extends AbstractWinsockUnsafe implements AfdPollIoHandle {

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
            if (event.has(Afd.POLL_CONNECT | Afd.POLL_CONNECT_FAIL) && connectPromise() != null) {
                finishConnect(event);
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

        private void finishConnect(AfdPollIoEvent event) {
            ChannelPromise promise = connectPromise();
            boolean wasActive = isActive();
            try {
                IOException failure = ConnectOutcome.failure(event.events(), event.status(),
                        () -> kernel.getSocketOption(socket, Winsock.SOL_SOCKET, Winsock.SO_ERROR));
                if (failure != null) {
                    throw failure;
                }
                setOps(ops().without(AfdPollIoOps.CONNECT).with(connectedInterest()));
                remote = kernel.remoteAddress(socket);
                local = kernel.localAddress(socket);
                active = true;
                fulfillConnect(promise, wasActive);
            } catch (Throwable t) {
                failConnect(promise, t);
            } finally {
                endConnect();
            }
        }
    }
}
