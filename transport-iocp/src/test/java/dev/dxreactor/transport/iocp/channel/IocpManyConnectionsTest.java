package dev.dxreactor.transport.iocp.channel;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many connections open at once on two loops, each echoing its own pseudo-random bytes in three writes, every
 * byte checked; afterwards no registration, operation or memory is left and nothing was released early. 300 in
 * the default run; 1000 and 10,000 under {@code @Tag("soak")} ({@code mvn -pl transport-iocp test
 * -Dtest=IocpManyConnectionsTest -Ddx.test.excludedGroups=none}; 10,000 connections hold over 20,000 descriptors
 * in the one process, so run it under {@code ulimit -n 65536}).
 */
class IocpManyConnectionsTest {

    private static final int BYTES = 24 * 1024;
    /** Per connection in the 10,000 run, which is about how many connections the emulation holds, not bytes. */
    private static final int SMALL_BYTES = 3 * 1024;

    @ChannelHandler.Sharable
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg);
        }
    }

    @Test
    void everyConnectionGetsItsOwnBytesBack() throws Exception {
        echo(300, BYTES);
    }

    @Test
    @Tag("soak")
    void aThousandConnectionsGetTheirOwnBytesBack() throws Exception {
        echo(1000, BYTES);
    }

    @Test
    @Tag("soak")
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void tenThousandConnectionsGetTheirOwnBytesBack() throws Exception {
        echo(10_000, SMALL_BYTES);
    }

    private void echo(int connections, int bytes) throws Exception {
        try (IocpLoops loops = new IocpLoops(2)) {
            Channel server = new ServerBootstrap().group(loops.group).channel(IocpServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, connections)
                    .childHandler(new Echo()).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            List<Channel> clients = new ArrayList<>();
            List<ChannelFuture> connects = new ArrayList<>();
            List<CompletableFuture<Boolean>> results = new ArrayList<>();
            List<byte[]> payloads = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                byte[] payload = new byte[bytes];
                new SplittableRandom(i).nextBytes(payload);
                payloads.add(payload);
                CompletableFuture<Boolean> result = new CompletableFuture<>();
                results.add(result);
                ChannelFuture connect = new Bootstrap().group(loops.group).channel(IocpSocketChannel.class)
                        .option(IocpChannelOption.OVERLAPPED_READS, i % 2 == 0)
                        .handler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                ch.pipeline().addLast(new Collector(payload, result));
                            }
                        })
                        .connect(server.localAddress());
                clients.add(connect.channel());
                connects.add(connect);
            }
            for (int i = 0; i < connections; i++) {
                Channel client = clients.get(i);
                assertThat(connects.get(i).await(30, TimeUnit.SECONDS)).isTrue();
                assertThat(connects.get(i).isSuccess()).isTrue();
                byte[] payload = payloads.get(i);
                client.eventLoop().execute(() -> {
                    for (int off = 0; off < bytes; off += bytes / 3) {
                        client.write(Unpooled.wrappedBuffer(payload, off, bytes / 3));
                    }
                    client.flush();
                });
            }
            for (CompletableFuture<Boolean> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isTrue();
            }
            for (Channel client : clients) {
                client.close().sync();
            }
            server.close().sync();
            IocpLoops.until(() -> loops.stats().registrations() == 0 && loops.stats().operationsInFlight() == 0, 20);
            assertThat(loops.memoryViolations()).isEmpty();
        }
    }

    private static final class Collector extends ChannelInboundHandlerAdapter {
        private final byte[] expected;
        private final CompletableFuture<Boolean> result;
        private final ByteBuf received;

        Collector(byte[] expected, CompletableFuture<Boolean> result) {
            this.expected = expected;
            this.result = result;
            this.received = Unpooled.buffer(expected.length);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            received.writeBytes(buf);
            buf.release();
            if (received.readableBytes() >= expected.length) {
                byte[] got = new byte[received.readableBytes()];
                received.readBytes(got);
                result.complete(java.util.Arrays.equals(got, expected));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            received.release();
            result.complete(false);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            result.completeExceptionally(cause);
        }
    }
}
