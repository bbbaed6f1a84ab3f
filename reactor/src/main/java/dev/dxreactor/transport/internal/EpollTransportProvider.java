package dev.dxreactor.transport.internal;

import dev.dxreactor.reactor.ReactorConfig;
import io.netty.channel.IoHandlerFactory;
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
        return EpollBackend.unavailabilityCause();
    }

    @Override
    IoHandlerFactory newIoHandlerFactory(ReactorConfig config) {
        return EpollBackend.ioHandlerFactory(config);
    }

    @Override
    Class<? extends ServerSocketChannel> serverChannelClass() {
        return EpollBackend.serverChannelClass();
    }

    @Override
    Class<? extends SocketChannel> channelClass() {
        return EpollBackend.channelClass();
    }
}
