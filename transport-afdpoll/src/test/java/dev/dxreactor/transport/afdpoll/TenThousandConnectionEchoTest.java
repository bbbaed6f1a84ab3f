package dev.dxreactor.transport.afdpoll;

import dev.dxreactor.transport.iocp.EmulatedWindowsKernel;
import dev.dxreactor.transport.iocp.WindowsKernel;
import dev.dxreactor.transport.load.EchoLoadProcess;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ten thousand connections to an AFD_POLL echo server on two loops, all open at once, each echoing its own
 * pseudo-random bytes, every byte checked by clients in a process of their own (one process would need over
 * 20,000 descriptors to hold both ends). Afterwards the server's channels are all closed and the emulated kernel
 * saw no poll memory released under a pending poll. Soak: {@code mvn -pl transport-afdpoll test
 * -Dtest=TenThousandConnectionEchoTest -Ddx.test.excludedGroups=none}.
 */
@Tag("soak")
class TenThousandConnectionEchoTest {

    private static final int CONNECTIONS = 10_000;

    @ChannelHandler.Sharable
    private static final class Echo extends ChannelInboundHandlerAdapter {
        private final AtomicInteger open;
        private final AtomicInteger mostOpen;

        Echo(AtomicInteger open, AtomicInteger mostOpen) {
            this.open = open;
            this.mostOpen = mostOpen;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            open.decrementAndGet();
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void tenThousandConnectionsAreAllOpenAtOnceAndGetTheirOwnBytesBack() throws Exception {
        EmulatedWindowsKernel kernel = WindowsKernel.current() instanceof EmulatedWindowsKernel e ? e : null;
        List<String> violationsBefore = kernel == null ? List.of() : kernel.memoryViolations();
        AtomicInteger open = new AtomicInteger();
        AtomicInteger mostOpen = new AtomicInteger();
        Echo echo = new Echo(open, mostOpen);
        File output = File.createTempFile("echo-load", ".txt");
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, AfdPollIoHandler.newFactory());
        try {
            Channel server = new ServerBootstrap().group(group).channel(AfdPollServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(echo);
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            Process clients = EchoLoadProcess.launch((InetSocketAddress) server.localAddress(), CONNECTIONS,
                    3 * 1024, 900, output);
            assertThat(clients.waitFor(15, TimeUnit.MINUTES)).as("the client process ended").isTrue();
            String report = Files.readString(output.toPath()).strip();
            assertThat(clients.exitValue()).as(report).isZero();
            assertThat(report).isEqualTo("verified " + CONNECTIONS);
            assertThat(mostOpen.get()).as("connections open on the server at once").isEqualTo(CONNECTIONS);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (open.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(open.get()).as("server channels still open after the clients closed").isZero();
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            Files.deleteIfExists(output.toPath());
        }
        if (kernel != null) {
            assertThat(kernel.memoryViolations()).as("poll memory released under a pending poll")
                    .isEqualTo(violationsBefore);
        }
    }
}
