package dev.dxreactor.transport.internal;

import dev.dxreactor.reactor.ReactorConfig;
import io.netty.channel.IoHandlerFactory;
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
        return KQueueBackend.unavailabilityCause();
    }

    @Override
    IoHandlerFactory newIoHandlerFactory(ReactorConfig config) {
        return KQueueBackend.ioHandlerFactory(config);
    }

    @Override
    Class<? extends ServerSocketChannel> serverChannelClass() {
        return KQueueBackend.serverChannelClass();
    }

    @Override
    Class<? extends SocketChannel> channelClass() {
        return KQueueBackend.channelClass();
    }
}
