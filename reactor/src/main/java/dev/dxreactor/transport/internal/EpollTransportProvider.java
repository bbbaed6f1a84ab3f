package dev.dxreactor.transport.internal;

import dev.dxreactor.reactor.ReactorConfig;
import io.netty.channel.DefaultSelectStrategyFactory;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;

import java.util.Set;

/** Netty's epoll transport (Linux); needs {@code netty-transport-native-epoll} with the platform classifier. */
public final class EpollTransportProvider extends NettyTransportProvider {

    public EpollTransportProvider() {
        super("epoll", 300, "io.netty.channel.epoll.Epoll", "netty-transport-classes-epoll",
                Set.of(ReactorConfig.MAX_EVENTS_PER_WAKE));
    }

    @Override
    Throwable nativeUnavailabilityCause() {
        return Epoll.unavailabilityCause();
    }

    @Override
    IoHandlerFactory newIoHandlerFactory(ReactorConfig config) {
        if (config.maxEventsPerWake().isPresent()) {
            return EpollIoHandler.newFactory(config.maxEventsPerWake().getAsInt(),
                    DefaultSelectStrategyFactory.INSTANCE);
        }
        return EpollIoHandler.newFactory();
    }

    @Override
    public Class<? extends ServerSocketChannel> serverSocketChannelClass() {
        return EpollServerSocketChannel.class;
    }

    @Override
    public Class<? extends SocketChannel> socketChannelClass() {
        return EpollSocketChannel.class;
    }
}
