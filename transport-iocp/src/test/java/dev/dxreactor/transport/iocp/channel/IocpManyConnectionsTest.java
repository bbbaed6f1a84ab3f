package dev.dxreactor.transport.iocp.channel;

import dev.dxreactor.transport.load.EchoLoadProcess;
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

import java.io.File;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many connections open at once on two loops, each echoing its own pseudo-random 24 KiB in three writes, every
 * byte checked; afterwards no registration, operation or memory is left and nothing was released early. 300 in
 * the default run; 1000 under {@code @Tag("soak")} ({@code mvn -pl transport-iocp test -Dtest=IocpManyConnectionsTest
 * -Ddx.test.excludedGroups=none}). Also under that tag: 10,000 connections to an IOCP server from clients in a
 * process of their own, since one process would need over 20,000 descriptors to hold both ends.
 */
class IocpManyConnectionsTest {

    private static final int BYTES = 24 * 1024;

    @ChannelHandler.Sharable
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg);
        }
    }

    @Test
    void everyConnectionGetsItsOwnBytesBack() throws Exception {
        echo(300);
    }

    @Test
    @Tag("soak")
    void aThousandConnectionsGetTheirOwnBytesBack() throws Exception {
        echo(1000);
    }

    @Test
    @Tag("soak")
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void tenThousandConnectionsFromAnotherProcessAreAllOpenAtOnceAndGetTheirOwnBytesBack() throws Exception {
        int connections = 10_000;
        AtomicInteger open = new AtomicInteger();
        AtomicInteger mostOpen = new AtomicInteger();
        ChannelHandler counter = new OpenCounter(open, mostOpen);
        File output = File.createTempFile("echo-load", ".txt");
        try (IocpLoops loops = new IocpLoops(2)) {
            Channel server = new ServerBootstrap().group(loops.group).channel(IocpServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(counter, new Echo());
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            Process clients = EchoLoadProcess.launch((InetSocketAddress) server.localAddress(), connections,
                    3 * 1024, 900, output);
            assertThat(clients.waitFor(15, TimeUnit.MINUTES)).as("the client process ended").isTrue();
            String report = Files.readString(output.toPath()).strip();
            assertThat(clients.exitValue()).as(report).isZero();
            assertThat(report).isEqualTo("verified " + connections);
            assertThat(mostOpen.get()).as("connections open on the server at once").isEqualTo(connections);
            IocpLoops.until(() -> open.get() == 0, 120);
            server.close().sync();
            IocpLoops.until(() -> loops.stats().registrations() == 0 && loops.stats().operationsInFlight() == 0, 120);
            assertThat(loops.memoryViolations()).isEmpty();
        } finally {
            Files.deleteIfExists(output.toPath());
        }
    }

    /** Counts the server's open child channels and the most that were open together. */
    @ChannelHandler.Sharable
    private static final class OpenCounter extends ChannelInboundHandlerAdapter {
        private final AtomicInteger open;
        private final AtomicInteger mostOpen;

        OpenCounter(AtomicInteger open, AtomicInteger mostOpen) {
            this.open = open;
            this.mostOpen = mostOpen;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            open.decrementAndGet();
            ctx.fireChannelInactive();
        }
    }

    private void echo(int connections) throws Exception {
        try (IocpLoops loops = new IocpLoops(2)) {
            Channel server = new ServerBootstrap().group(loops.group).channel(IocpServerSocketChannel.class)
                    .childHandler(new Echo()).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            List<Channel> clients = new ArrayList<>();
            List<ChannelFuture> connects = new ArrayList<>();
            List<CompletableFuture<Boolean>> results = new ArrayList<>();
            List<byte[]> payloads = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                byte[] payload = new byte[BYTES];
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
                    for (int off = 0; off < BYTES; off += BYTES / 3) {
                        client.write(Unpooled.wrappedBuffer(payload, off, BYTES / 3));
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
        private final ByteBuf received = Unpooled.buffer(BYTES);

        Collector(byte[] expected, CompletableFuture<Boolean> result) {
            this.expected = expected;
            this.result = result;
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
