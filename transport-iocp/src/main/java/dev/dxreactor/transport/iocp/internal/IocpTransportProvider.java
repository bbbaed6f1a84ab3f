package dev.dxreactor.transport.iocp.internal;

import dev.dxreactor.reactor.ReactorConfig;
import dev.dxreactor.transport.TransportProvider;
import dev.dxreactor.transport.iocp.channel.Iocp;
import dev.dxreactor.transport.iocp.channel.IocpConfig;
import dev.dxreactor.transport.iocp.channel.IocpIoHandler;
import dev.dxreactor.transport.iocp.channel.IocpServerSocketChannel;
import dev.dxreactor.transport.iocp.channel.IocpSocketChannel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;

import java.util.Set;

/**
 * Offers the IOCP transport to dx-reactor: on Windows above NIO and below afdpoll (the module README says why),
 * and on Linux only over the emulated kernel surface, which tests ask for with {@code -Ddx.windows.emulate=true}.
 */
public final class IocpTransportProvider implements TransportProvider {

    /** Between NIO (100) and afdpoll (200). */
    static final int PRIORITY = 150;

    @Override
    public String name() {
        return "iocp";
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public boolean isAvailable() {
        return Iocp.isAvailable();
    }

    @Override
    public Throwable unavailabilityCause() {
        return Iocp.unavailabilityCause();
    }

    @Override
    public IoHandlerFactory ioHandlerFactory(ReactorConfig config) {
        if (!isAvailable()) {
            throw new IllegalStateException("the iocp transport is not available", unavailabilityCause());
        }
        IocpConfig.Builder builder = IocpConfig.builder();
        config.maxEventsPerWake().ifPresent(builder::maxEventsPerDequeue);
        config.concurrencyHint().ifPresent(builder::concurrencyHint);
        return IocpIoHandler.newFactory(builder.build());
    }

    @Override
    public Class<? extends ServerSocketChannel> serverSocketChannelClass() {
        return IocpServerSocketChannel.class;
    }

    @Override
    public Class<? extends SocketChannel> socketChannelClass() {
        return IocpSocketChannel.class;
    }

    @Override
    public Set<String> supportedOptions() {
        return Set.of(ReactorConfig.MAX_EVENTS_PER_WAKE, ReactorConfig.CONCURRENCY_HINT);
    }

    @Override
    public String toString() {
        return name();
    }
}
