package dev.dxreactor.transport.iocp.channel;

import dev.dxreactor.transport.iocp.channel.IocpConfig.SkipCompletionPort;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.SimpleChannelInboundHandler;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * AcceptEx and ConnectEx that succeed inside the call, as Windows may when a client is already waiting or a loopback
 * connect is quick: the emulated kernel does so only when asked (Wine, and so its default, pends them), so that the
 * transport's path for them runs here and not only on Windows.
 */
class IocpInlineAcceptConnectTest {

    private static final int CONNECTIONS = 100;

    @Test
    void connectionsAcceptedAndConnectedInsideTheCallEchoAndLeaveNothingBehind() throws Exception {
        long inlineWhenPending = connectAll(false);
        long inlineWhenWindowsLike = connectAll(true);

        // With no data sent before the echo, only accepts and connects can complete inside their call.
        assertThat(inlineWhenPending).isZero();
        assertThat(inlineWhenWindowsLike).isPositive();
    }

    /**
     * {@link #CONNECTIONS} clients connect at once to a server on another loop, then each echoes 64 bytes; returns
     * the inline completions counted before the echo.
     */
    private static long connectAll(boolean inline) throws Exception {
        try (IocpLoops loops = new IocpLoops(2, IocpConfig.builder()
                .skipCompletionPortOnSuccess(SkipCompletionPort.ON).build())) {
            assumeTrue(loops.kernel != null, "the emulated kernel decides when AcceptEx and ConnectEx pend");
            loops.kernel.completeAcceptAndConnectInline(inline);
            List<Channel> clients = new ArrayList<>();
            Channel server = null;
            try {
                server = new ServerBootstrap().group(loops.group).channel(IocpServerSocketChannel.class)
                        .childHandler(new Echo())
                        .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
                CountDownLatch echoed = new CountDownLatch(CONNECTIONS);
                List<ChannelFuture> connects = new ArrayList<>();
                for (int i = 0; i < CONNECTIONS; i++) {
                    connects.add(new Bootstrap().group(loops.group).channel(IocpSocketChannel.class)
                            .handler(new SimpleChannelInboundHandler<ByteBuf>() {
                                private int bytes;

                                @Override
                                protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                                    bytes += msg.readableBytes();
                                    if (bytes == 64) {
                                        echoed.countDown();
                                    }
                                }
                            })
                            .connect(server.localAddress()));
                }
                for (ChannelFuture connect : connects) {
                    clients.add(connect.sync().channel());
                }
                long inlineBeforeEcho = loops.stats().inlineCompletions();
                for (Channel client : clients) {
                    client.writeAndFlush(Unpooled.wrappedBuffer(new byte[64]));
                }
                assertThat(echoed.await(30, TimeUnit.SECONDS)).as("every connection echoed").isTrue();
                return inlineBeforeEcho;
            } finally {
                for (Channel client : clients) {
                    client.close().sync();
                }
                if (server != null) {
                    server.close().sync();
                }
                loops.kernel.completeAcceptAndConnectInline(false);
                IocpLoops.until(() -> loops.stats().operationsInFlight() == 0
                        && loops.stats().registrations() == 0, 10);
                assertThat(loops.memoryViolations()).isEmpty();
            }
        }
    }

    @ChannelHandler.Sharable
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg);
        }
    }
}
