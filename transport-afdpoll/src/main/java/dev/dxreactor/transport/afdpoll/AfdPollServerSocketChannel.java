package dev.dxreactor.transport.afdpoll;

import dev.dxreactor.transport.iocp.WindowsException;
import dev.dxreactor.transport.iocp.Winsock;
import dev.dxreactor.transport.iocp.socket.SocketErrors;
import dev.dxreactor.transport.iocp.socket.WinsockServerSocketChannelConfig;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.ServerSocketChannelConfig;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A listening TCP socket on the AFD_POLL transport: accepts with non-blocking {@code accept} when AFD reports
 * ACCEPT. Accepting is never held back by {@link AfdPollConfig#readMemoryLimit()}: a listener left unarmed would
 * only fill its backlog.
 */
public final class AfdPollServerSocketChannel extends AbstractAfdPollChannel implements ServerSocketChannel {

    private final WinsockServerSocketChannelConfig config = new WinsockServerSocketChannelConfig(this);
    private final List<Object> accepted = new ArrayList<>();

    public AfdPollServerSocketChannel() {
        super(null);
    }

    @Override
    protected void socketOpened() throws IOException {
        config.applyTo(socket);
    }

    @Override
    int readInterest() {
        return AfdPollIoOps.ACCEPT;
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
    protected AbstractAfdPollUnsafe newUnsafe() {
        return new AcceptingUnsafe();
    }

    private final class AcceptingUnsafe extends AbstractAfdPollUnsafe {

        @Override
        public void connect(SocketAddress remote, SocketAddress local, io.netty.channel.ChannelPromise promise) {
            promise.setFailure(new UnsupportedOperationException("a server socket channel does not connect"));
        }

        @Override
        void readReady() {
            ChannelConfig config = config();
            ChannelPipeline pipeline = pipeline();
            RecvByteBufAllocator.Handle allocHandle = recvBufAllocHandle();
            allocHandle.reset(config);
            Throwable failure = null;
            try {
                do {
                    long child = kernel.accept(socket);
                    if (child == Winsock.INVALID_HANDLE) {
                        break;
                    }
                    try {
                        accepted.add(new AfdPollSocketChannel(AfdPollServerSocketChannel.this, child, ipv6));
                    } catch (WindowsException e) {
                        kernel.closeSocket(child);
                        throw e;
                    }
                    allocHandle.incMessagesRead(1);
                } while (allocHandle.continueReading());
            } catch (Throwable t) {
                failure = t instanceof WindowsException w ? SocketErrors.translate(w) : t;
            }
            try {
                for (Object channel : accepted) {
                    readPending = false;
                    pipeline.fireChannelRead(channel);
                }
                accepted.clear();
                allocHandle.readComplete();
                pipeline.fireChannelReadComplete();
                if (failure != null) {
                    pipeline.fireExceptionCaught(failure);
                    if (!isOpen()) {
                        close(voidPromise());
                    }
                }
            } finally {
                if (shouldStopReading(config)) {
                    clearReadInterest();
                }
            }
        }
    }
}
