package dev.dxreactor.transport.internal;

import dev.dxreactor.reactor.ReactorConfig;
import io.netty.channel.DefaultSelectStrategyFactory;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.kqueue.KQueue;
import io.netty.channel.kqueue.KQueueIoHandler;
import io.netty.channel.kqueue.KQueueServerSocketChannel;
import io.netty.channel.kqueue.KQueueSocketChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;

import java.util.Set;

/** Netty's kqueue transport (macOS, BSD); needs {@code netty-transport-native-kqueue} with the platform classifier. */
public final class KQueueTransportProvider extends NettyTransportProvider {

    public KQueueTransportProvider() {
        super("kqueue", 300, "io.netty.channel.kqueue.KQueue", "netty-transport-classes-kqueue",
                Set.of(ReactorConfig.MAX_EVENTS_PER_WAKE));
    }

    @Override
    Throwable nativeUnavailabilityCause() {
        return KQueue.unavailabilityCause();
    }

    @Override
    IoHandlerFactory newIoHandlerFactory(ReactorConfig config) {
        if (config.maxEventsPerWake().isPresent()) {
            return KQueueIoHandler.newFactory(config.maxEventsPerWake().getAsInt(),
                    DefaultSelectStrategyFactory.INSTANCE);
        }
        return KQueueIoHandler.newFactory();
    }

    @Override
    public Class<? extends ServerSocketChannel> serverSocketChannelClass() {
        return KQueueServerSocketChannel.class;
    }

    @Override
    public Class<? extends SocketChannel> socketChannelClass() {
        return KQueueSocketChannel.class;
    }
}
