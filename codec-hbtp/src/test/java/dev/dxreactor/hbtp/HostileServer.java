package dev.dxreactor.hbtp;

import dev.dxreactor.reactor.DxReactor;
import dev.dxreactor.reactor.WorkerStrategy;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;

import java.net.InetSocketAddress;

/**
 * A real HBTP server on loopback for attack tests: one NIO event loop, and an allocator of its own so that
 * a test can read how many bytes the server holds for its peers.
 */
final class HostileServer implements AutoCloseable {

    final PooledByteBufAllocator alloc = new PooledByteBufAllocator(true);
    private final DxReactor reactor;
    private final Channel listener;

    HostileServer(HbtpServerConfig config) throws InterruptedException {
        reactor = DxReactor.builder().transport("nio").workers(WorkerStrategy.fixed(1)).build();
        listener = reactor.serverBootstrap()
                .childOption(ChannelOption.ALLOCATOR, alloc)
                .childHandler(new HbtpServerInitializer(config))
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    DxReactor reactor() {
        return reactor;
    }

    /** Bytes the server's allocator has handed out and not had back, direct and heap. */
    long bytesHeld() {
        return alloc.metric().usedDirectMemory() + alloc.metric().usedHeapMemory();
    }

    @Override
    public void close() throws InterruptedException {
        listener.close().sync();
        reactor.close();
    }
}
