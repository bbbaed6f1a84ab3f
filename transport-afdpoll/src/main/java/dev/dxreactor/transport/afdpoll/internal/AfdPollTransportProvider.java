package dev.dxreactor.transport.afdpoll.internal;

import dev.dxreactor.reactor.ReactorConfig;
import dev.dxreactor.transport.TransportProvider;
import dev.dxreactor.transport.afdpoll.AfdPoll;
import dev.dxreactor.transport.afdpoll.AfdPollConfig;
import dev.dxreactor.transport.afdpoll.AfdPollIoHandler;
import dev.dxreactor.transport.afdpoll.AfdPollServerSocketChannel;
import dev.dxreactor.transport.afdpoll.AfdPollSocketChannel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;

import java.util.Set;

/**
 * Offers the AFD_POLL transport to dx-reactor: on Windows, above NIO (whose Selector is AFD_POLL under the
 * JDK's layer), and on Linux only over the emulated kernel surface, which tests ask for with
 * {@code -Ddx.windows.emulate=true}.
 */
public final class AfdPollTransportProvider implements TransportProvider {

    @Override
    public String name() {
        return "afdpoll";
    }

    @Override
    public int priority() {
        return 200;
    }

    @Override
    public boolean isAvailable() {
        return AfdPoll.isAvailable();
    }

    @Override
    public Throwable unavailabilityCause() {
        return AfdPoll.unavailabilityCause();
    }

    @Override
    public IoHandlerFactory ioHandlerFactory(ReactorConfig config) {
        if (!isAvailable()) {
            throw new IllegalStateException("the afdpoll transport is not available", unavailabilityCause());
        }
        AfdPollConfig.Builder builder = AfdPollConfig.builder();
        config.maxEventsPerWake().ifPresent(builder::maxEventsPerDequeue);
        return AfdPollIoHandler.newFactory(builder.build());
    }

    @Override
    public Class<? extends ServerSocketChannel> serverSocketChannelClass() {
        return AfdPollServerSocketChannel.class;
    }

    @Override
    public Class<? extends SocketChannel> socketChannelClass() {
        return AfdPollSocketChannel.class;
    }

    @Override
    public Set<String> supportedOptions() {
        return Set.of(ReactorConfig.MAX_EVENTS_PER_WAKE);
    }

    @Override
    public String toString() {
        return name();
    }
}
