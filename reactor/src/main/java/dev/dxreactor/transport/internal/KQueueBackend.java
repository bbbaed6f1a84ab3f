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

/** Every use of Netty's kqueue classes; loaded only once they are known to be on the class path. */
final class KQueueBackend {

    private KQueueBackend() {
    }

    static Throwable unavailabilityCause() {
        return KQueue.unavailabilityCause();
    }

    static IoHandlerFactory ioHandlerFactory(ReactorConfig config) {
        if (config.maxEventsPerWake().isPresent()) {
            return KQueueIoHandler.newFactory(config.maxEventsPerWake().getAsInt(),
                    DefaultSelectStrategyFactory.INSTANCE);
        }
        return KQueueIoHandler.newFactory();
    }

    static Class<? extends ServerSocketChannel> serverChannelClass() {
        return KQueueServerSocketChannel.class;
    }

    static Class<? extends SocketChannel> channelClass() {
        return KQueueSocketChannel.class;
    }
}
