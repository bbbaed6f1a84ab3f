package dev.dxreactor.transport.iocp.channel;

import dev.dxreactor.transport.iocp.EmulatedWindowsKernel;
import dev.dxreactor.transport.iocp.WindowsKernel;
import dev.dxreactor.transport.iocp.channel.IocpConfig.SkipCompletionPort;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.SimpleChannelInboundHandler;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** When sockets skip the completion port on success, and what it saves: packets, counted, not timed. */
class IocpSkipCompletionPortTest {

    private static final int ROUND_TRIPS = 200;

    @Test
    void autoIsOnOnlyWhenEveryProviderIsIfsAndSaysWhy() {
        EmulatedWindowsKernel kernel = WindowsKernel.emulated();
        SkipDecision plain = SkipDecision.decide(SkipCompletionPort.AUTO, kernel);
        assertThat(plain.on()).isTrue();
        assertThat(plain.toString()).isEqualTo("on: every one of the 4 Winsock providers is IFS");

        kernel.installLayeredProvider("An IFS filter", true);
        assertThat(SkipDecision.decide(SkipCompletionPort.AUTO, kernel).on()).isTrue();

        kernel.installLayeredProvider("Legacy Proxy LSP", false);
        SkipDecision withLsp = SkipDecision.decide(SkipCompletionPort.AUTO, kernel);
        assertThat(withLsp.on()).isFalse();
        assertThat(withLsp.toString()).startsWith("off: not every Winsock provider is IFS: 'Legacy Proxy LSP'");

        assertThat(SkipDecision.decide(SkipCompletionPort.ON, kernel).on()).isTrue();
        assertThat(SkipDecision.decide(SkipCompletionPort.OFF, WindowsKernel.emulated()).toString())
                .isEqualTo("off: turned off by configuration");
    }

    @Test
    void anUnreadableCatalogTurnsAutoOff() {
        // The real kernel off Windows cannot bind ws2_32: the failure is the reason, not an exception.
        WindowsKernel real = WindowsKernel.real();
        assumeFalse(real.isAvailable(), "Windows binds ws2_32");
        SkipDecision decision = SkipDecision.decide(SkipCompletionPort.AUTO, real);
        assertThat(decision.on()).isFalse();
        assertThat(decision.reason()).startsWith("WSAEnumProtocols failed");
    }

    @Test
    void theModeIsConfiguredOrComesFromTheSystemProperty() {
        assertThat(IocpConfig.builder().skipCompletionPortOnSuccess(SkipCompletionPort.OFF).build()
                .skipCompletionPortOnSuccess()).isEqualTo(SkipCompletionPort.OFF);
        String before = System.getProperty(IocpConfig.SKIP_PROPERTY);
        try {
            System.setProperty(IocpConfig.SKIP_PROPERTY, "On");
            assertThat(IocpConfig.builder().build().skipCompletionPortOnSuccess()).isEqualTo(SkipCompletionPort.ON);
            System.setProperty(IocpConfig.SKIP_PROPERTY, "sometimes");
            assertThatThrownBy(() -> IocpConfig.builder().build())
                    .hasMessageContaining(IocpConfig.SKIP_PROPERTY + " must be auto, on or off, not 'sometimes'");
        } finally {
            if (before == null) {
                System.clearProperty(IocpConfig.SKIP_PROPERTY);
            } else {
                System.setProperty(IocpConfig.SKIP_PROPERTY, before);
            }
        }
    }

    @Test
    void anEchoExchangeDequeuesFewerPacketsWhenSendsCompleteInline() throws Exception {
        IocpIoHandler.Stats off = pingPong(SkipCompletionPort.OFF);
        IocpIoHandler.Stats on = pingPong(SkipCompletionPort.ON);
        assertThat(off.inlineCompletions()).isZero();
        // Each round trip's two small sends find room in the socket buffer and succeed inside WSASend.
        assertThat(on.inlineCompletions()).isGreaterThanOrEqualTo(2L * ROUND_TRIPS);
        assertThat(off.packets() - on.packets()).isGreaterThanOrEqualTo(2L * ROUND_TRIPS);
    }

    @Test
    void aCloseRightAfterASendThatCompletedInlineWaitsForItsCompletion() throws Exception {
        try (IocpLoops loops = new IocpLoops(1,
                IocpConfig.builder().skipCompletionPortOnSuccess(SkipCompletionPort.ON).build())) {
            LinkedBlockingQueue<Integer> received = new LinkedBlockingQueue<>();
            Channel server = new ServerBootstrap().group(loops.group).channel(IocpServerSocketChannel.class)
                    .childHandler(new SimpleChannelInboundHandler<ByteBuf>() {
                        private int bytes;

                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                            bytes += msg.readableBytes();
                        }

                        @Override
                        public void channelInactive(ChannelHandlerContext ctx) {
                            received.add(bytes);
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            Channel client = new Bootstrap().group(loops.group).channel(IocpSocketChannel.class)
                    .handler(new ChannelInboundHandlerAdapter())
                    .connect(server.localAddress()).sync().channel();
            long inlineBefore = loops.stats().inlineCompletions();
            ByteBuf payload = Unpooled.directBuffer(100).writeZero(100);
            // One loop task: the WSASend succeeds inside the call and the close starts before the handler has
            // completed it, so the close must wait for that completion as for a packet.
            var written = client.eventLoop().submit(() -> {
                var write = client.writeAndFlush(payload);
                int outstanding = ((AbstractIocpChannel) client).outstandingOperations();
                client.close();
                return new Object[] {write, outstanding};
            }).get(10, TimeUnit.SECONDS);
            io.netty.channel.ChannelFuture write = (io.netty.channel.ChannelFuture) written[0];
            assertThat(write.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(write.isSuccess()).as("write %s", write.cause()).isTrue();
            assertThat(payload.refCnt()).isZero();
            assertThat((int) written[1]).as("the zero-byte read and the completed send").isEqualTo(2);
            assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(100);
            client.closeFuture().sync();
            server.close().sync();
            IocpLoops.until(() -> loops.stats().operationsInFlight() == 0 && loops.stats().registrations() == 0, 10);
            assertThat(loops.stats().inlineCompletions()).isGreaterThan(inlineBefore);
            assertThat(loops.memoryViolations()).isEmpty();
        }
    }

    /** {@link #ROUND_TRIPS} one-at-a-time echoes of 64 bytes on loops of {@code mode}; their counters after. */
    private static IocpIoHandler.Stats pingPong(SkipCompletionPort mode) throws Exception {
        try (IocpLoops loops = new IocpLoops(1, IocpConfig.builder().skipCompletionPortOnSuccess(mode).build())) {
            Channel server = new ServerBootstrap().group(loops.group).channel(IocpServerSocketChannel.class)
                    .childHandler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ctx.writeAndFlush(msg);
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            LinkedBlockingQueue<Integer> echoed = new LinkedBlockingQueue<>();
            Channel client = new Bootstrap().group(loops.group).channel(IocpSocketChannel.class)
                    .handler(new SimpleChannelInboundHandler<ByteBuf>() {
                        private int bytes;

                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                            bytes += msg.readableBytes();
                            if (bytes >= 64) {
                                echoed.add(bytes);
                                bytes -= 64;
                            }
                        }
                    })
                    .connect(server.localAddress()).sync().channel();
            try {
                for (int i = 0; i < ROUND_TRIPS; i++) {
                    client.writeAndFlush(Unpooled.wrappedBuffer(new byte[64])).sync();
                    assertThat(echoed.poll(10, TimeUnit.SECONDS)).as("echo %d with skip %s", i, mode).isEqualTo(64);
                }
            } finally {
                client.close().sync();
                server.close().sync();
            }
            IocpLoops.until(() -> loops.stats().operationsInFlight() == 0 && loops.stats().registrations() == 0, 10);
            assertThat(loops.memoryViolations()).isEmpty();
            assertThat(loops.stats().operationsInFlight()).isZero();
            return loops.stats();
        }
    }
}
