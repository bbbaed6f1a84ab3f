package dev.dxreactor.transport.internal;

import dev.dxreactor.reactor.ReactorConfig;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;

import java.util.Map;
import java.util.Set;

/**
 * Netty 4.2's io_uring transport (Linux 5.14+); needs {@code netty-transport-native-io_uring} with the
 * platform classifier.
 *
 * <p>Netty 4.2.17 has no submission-queue polling, so {@code sqpoll} and its fields are not supported and
 * are reported as ignored. A provided-buffer ring is set up when {@code bufferSize} or
 * {@code bufferCount} is given and the kernel can register buffer rings.
 */
public final class IoUringTransportProvider extends NettyTransportProvider {

    public IoUringTransportProvider() {
        super("io_uring", 400, "io.netty.channel.uring.IoUring", "netty-transport-classes-io_uring",
                Set.of(ReactorConfig.RING_ENTRIES, ReactorConfig.BUFFER_SIZE, ReactorConfig.BUFFER_COUNT,
                        ReactorConfig.ZERO_COPY_SEND));
    }

    @Override
    Throwable nativeUnavailabilityCause() {
        return IoUringBackend.unavailabilityCause();
    }

    @Override
    IoHandlerFactory newIoHandlerFactory(ReactorConfig config) {
        return IoUringBackend.ioHandlerFactory(config);
    }

    @Override
    Map<ChannelOption<?>, Object> channelOptionsFor(ReactorConfig config) {
        return IoUringBackend.channelOptions(config);
    }

    @Override
    Class<? extends ServerSocketChannel> serverChannelClass() {
        return IoUringBackend.serverChannelClass();
    }

    @Override
    Class<? extends SocketChannel> channelClass() {
        return IoUringBackend.channelClass();
    }
}
