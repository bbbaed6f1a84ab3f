package dev.dxreactor.transport.iocp.channel;

import dev.dxreactor.transport.iocp.WindowsException;
import dev.dxreactor.transport.iocp.Winsock;
import dev.dxreactor.transport.iocp.socket.SocketErrors;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.ServerSocketChannelConfig;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;

/**
 * A listening TCP socket on the IOCP transport: keeps {@link IocpChannelOption#PENDING_ACCEPTS} {@code AcceptEx}
 * pending (default 32), each into a socket of the listener's family made beforehand; a completed one gets
 * {@code SO_UPDATE_ACCEPT_CONTEXT} and its addresses from {@code GetAcceptExSockaddrs}. While nobody reads
 * (auto-read off and no {@code read()}), accepted connections wait in the channel and no new AcceptEx is posted.
 */
public final class IocpServerSocketChannel extends AbstractIocpChannel implements ServerSocketChannel {

    private final IocpServerSocketChannelConfig config = new IocpServerSocketChannelConfig(this);
    /** Connections accepted while nobody read. */
    private final ArrayDeque<IocpSocketChannel> waiting = new ArrayDeque<>();
    private int acceptsPending;

    public IocpServerSocketChannel() {
        super(null);
    }

    @Override
    void applyOptions() throws IOException {
        config.applyTo(socket);
    }

    @Override
    public ServerSocketChannelConfig config() {
        return config;
    }

    @Override
    protected void doBind(SocketAddress localAddress) throws Exception {
        super.doBind(localAddress);
        listen(config.getBacklog());
    }

    @Override
    protected void doBeginRead() throws Exception {
        AcceptingUnsafe unsafe = (AcceptingUnsafe) unsafe();
        unsafe.readPending = true;
        if (!waiting.isEmpty()) {
            unsafe.deliverWaiting();
        }
        fillAccepts();
    }

    /** Posts AcceptEx until the configured number are pending, while someone reads. */
    private void fillAccepts() throws IOException {
        AcceptingUnsafe unsafe = (AcceptingUnsafe) unsafe();
        while (isActive() && !unsafe.closing() && acceptsPending < config.pendingAccepts()
                && (unsafe.readPending || config.isAutoRead())) {
            postAccept();
        }
    }

    private void postAccept() throws IOException {
        long target = kernel.socket(ipv6 ? Winsock.AF_INET6 : Winsock.AF_INET, Winsock.SOCK_STREAM, Winsock.IPPROTO_TCP);
        IocpOperation op = iocp.acquire(IocpOperation.Kind.ACCEPT, false);
        op.acceptSocket = target;
        op.acceptIpv6 = ipv6;
        try {
            kernel.acceptEx(socket, target, op.acceptAddresses(), Winsock.ACCEPTEX_ADDRESS_LENGTH, op.overlapped());
        } catch (WindowsException e) {
            iocp.notSubmitted(op);
            throw SocketErrors.translate(e);
        }
        iocp.submitted(op);
        acceptsPending++;
    }

    @Override
    protected void doClose() throws Exception {
        super.doClose();
        // Accepted connections nobody read are closed with the listener; their sockets were never registered.
        IocpSocketChannel child;
        while ((child = waiting.poll()) != null) {
            child.closeUnregistered();
        }
    }

    @Override
    protected void doDisconnect() {
        throw new UnsupportedOperationException("a server socket channel is not connected");
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) {
        throw new UnsupportedOperationException("a server socket channel cannot write");
    }

    @Override
    protected Object filterOutboundMessage(Object msg) {
        throw new UnsupportedOperationException("a server socket channel cannot write");
    }

    @Override
    protected AbstractIocpUnsafe newUnsafe() {
        return new AcceptingUnsafe();
    }

    private final class AcceptingUnsafe extends AbstractIocpUnsafe {

        @Override
        public void connect(SocketAddress remote, SocketAddress local, ChannelPromise promise) {
            promise.setFailure(new UnsupportedOperationException("a server socket channel does not connect"));
        }

        @Override
        void completed(IocpOperation op, IocpIoEvent event) {
            acceptsPending--;
            if (!isOpen() || closing()) {
                // Ended by the listener's close; the operation releases the socket it would have accepted into.
                return;
            }
            if (!event.succeeded()) {
                if (!cancelled(event)) {
                    // A failed accept (the client reset first, say) costs that connection only.
                    pipeline().fireExceptionCaught(SocketErrors.ofStatus("AcceptEx", event.status()));
                }
                refill();
                return;
            }
            IocpSocketChannel child;
            try {
                kernel.updateAcceptContext(op.acceptSocket, socket);
                InetSocketAddress[] addresses = kernel.acceptExAddresses(op.acceptAddresses(),
                        Winsock.ACCEPTEX_ADDRESS_LENGTH);
                child = new IocpSocketChannel(IocpServerSocketChannel.this, op.acceptSocket, op.acceptIpv6,
                        addresses[0], addresses[1]);
                op.acceptSocket = Winsock.INVALID_HANDLE;
            } catch (Throwable t) {
                pipeline().fireExceptionCaught(t instanceof WindowsException w ? SocketErrors.translate(w) : t);
                refill();
                return;
            }
            waiting.add(child);
            if (readPending || config.isAutoRead()) {
                deliverWaiting();
            }
            refill();
        }

        void deliverWaiting() {
            ChannelPipeline pipeline = pipeline();
            IocpSocketChannel child;
            while ((child = waiting.poll()) != null) {
                readPending = false;
                pipeline.fireChannelRead(child);
            }
            pipeline.fireChannelReadComplete();
        }

        private void refill() {
            try {
                fillAccepts();
            } catch (IOException e) {
                pipeline().fireExceptionCaught(e);
                if (acceptsPending == 0) {
                    // No accept left pending and none can be posted: the listener would hang silently.
                    close(voidPromise());
                }
            }
        }
    }
}
