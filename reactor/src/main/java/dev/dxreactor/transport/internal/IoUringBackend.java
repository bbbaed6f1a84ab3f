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

/** Every use of Netty's io_uring classes; loaded only once they are known to be on the class path. */
final class IoUringBackend {

    /** Buffer group of the ring registered per loop; connections read from it through the channel option. */
    static final short BUFFER_GROUP_ID = 0;
    static final int DEFAULT_BUFFER_SIZE = 4096;
    static final int DEFAULT_BUFFER_COUNT = 512;
    /** Writes at least this large use zero-copy send; smaller ones cost more to pin than to copy. */
    static final int ZERO_COPY_THRESHOLD = 16 * 1024;

    private IoUringBackend() {
    }

    static Throwable unavailabilityCause() {
        return IoUring.unavailabilityCause();
    }

    static IoHandlerFactory ioHandlerFactory(ReactorConfig config) {
        IoUringIoHandlerConfig handlerConfig = new IoUringIoHandlerConfig();
        config.ringEntries().ifPresent(handlerConfig::setRingSize);
        if (usesBufferRing(config)) {
            int count = config.bufferCount().orElse(DEFAULT_BUFFER_COUNT);
            handlerConfig.setBufferRingConfig(IoUringBufferRingConfig.builder()
                    .bufferGroupId(BUFFER_GROUP_ID)
                    .bufferRingSize((short) count)
                    .batchSize(Math.max(1, count / 2))
                    .allocator(new IoUringFixedBufferRingAllocator(config.bufferSize().orElse(DEFAULT_BUFFER_SIZE)))
                    .build());
        }
        return IoUringIoHandler.newFactory(handlerConfig);
    }

    static Map<ChannelOption<?>, Object> channelOptions(ReactorConfig config) {
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

    static Class<? extends ServerSocketChannel> serverChannelClass() {
        return IoUringServerSocketChannel.class;
    }

    static Class<? extends SocketChannel> channelClass() {
        return IoUringSocketChannel.class;
    }
}
