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

/** Every use of Netty's epoll classes; loaded only once they are known to be on the class path. */
final class EpollBackend {

    private EpollBackend() {
    }

    static Throwable unavailabilityCause() {
        return Epoll.unavailabilityCause();
    }

    static IoHandlerFactory ioHandlerFactory(ReactorConfig config) {
        if (config.maxEventsPerWake().isPresent()) {
            return EpollIoHandler.newFactory(config.maxEventsPerWake().getAsInt(),
                    DefaultSelectStrategyFactory.INSTANCE);
        }
        return EpollIoHandler.newFactory();
    }

    static Class<? extends ServerSocketChannel> serverChannelClass() {
        return EpollServerSocketChannel.class;
    }

    static Class<? extends SocketChannel> channelClass() {
        return EpollSocketChannel.class;
    }
}
