package dev.dxreactor.transport.internal;

import dev.dxreactor.reactor.ReactorConfig;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringBufferRingConfig;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringFixedBufferRingAllocator;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringIoHandlerConfig;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;

import java.util.LinkedHashMap;
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

    /** Buffer group of the ring this provider registers; connections read from it through the channel option. */
    static final short BUFFER_GROUP_ID = 0;
    static final int DEFAULT_BUFFER_SIZE = 4096;
    static final int DEFAULT_BUFFER_COUNT = 512;
    /** Writes at least this large use zero-copy send; smaller ones cost more to pin than to copy. */
    static final int ZERO_COPY_THRESHOLD = 16 * 1024;

    public IoUringTransportProvider() {
        super("io_uring", 400, "io.netty.channel.uring.IoUring", "netty-transport-classes-io_uring",
                Set.of(ReactorConfig.RING_ENTRIES, ReactorConfig.BUFFER_SIZE, ReactorConfig.BUFFER_COUNT,
                        ReactorConfig.ZERO_COPY_SEND));
    }

    @Override
    Throwable nativeUnavailabilityCause() {
        return IoUring.unavailabilityCause();
    }

    @Override
    IoHandlerFactory newIoHandlerFactory(ReactorConfig config) {
        IoUringIoHandlerConfig handlerConfig = new IoUringIoHandlerConfig();
        config.ringEntries().ifPresent(handlerConfig::setRingSize);
        if (usesBufferRing(config)) {
            handlerConfig.setBufferRingConfig(IoUringBufferRingConfig.builder()
                    .bufferGroupId(BUFFER_GROUP_ID)
                    .bufferRingSize((short) config.bufferCount().orElse(DEFAULT_BUFFER_COUNT))
                    .batchSize(Math.max(1, config.bufferCount().orElse(DEFAULT_BUFFER_COUNT) / 2))
                    .allocator(new IoUringFixedBufferRingAllocator(config.bufferSize().orElse(DEFAULT_BUFFER_SIZE)))
                    .build());
        }
        return IoUringIoHandler.newFactory(handlerConfig);
    }

    @Override
    public Map<ChannelOption<?>, Object> channelOptions(ReactorConfig config) {
        Map<ChannelOption<?>, Object> options = new LinkedHashMap<>();
        if (usesBufferRing(config)) {
            options.put(IoUringChannelOption.IO_URING_BUFFER_GROUP_ID, BUFFER_GROUP_ID);
        }
        if (config.zeroCopySend()) {
            options.put(IoUringChannelOption.IO_URING_WRITE_ZERO_COPY_THRESHOLD, ZERO_COPY_THRESHOLD);
        }
        return options;
    }

    private static boolean usesBufferRing(ReactorConfig config) {
        return (config.bufferSize().isPresent() || config.bufferCount().isPresent())
                && IoUring.isRegisterBufferRingSupported();
    }

    @Override
    public Class<? extends ServerSocketChannel> serverSocketChannelClass() {
        return IoUringServerSocketChannel.class;
    }

    @Override
    public Class<? extends SocketChannel> socketChannelClass() {
        return IoUringSocketChannel.class;
    }
}
