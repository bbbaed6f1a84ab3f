package dev.dxreactor.transport.iocp.channel;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A 1 MiB echo through AcceptEx, ConnectEx, WSASend and each read mode; afterwards nothing is outstanding. */
class IocpEchoTest {

    private static IocpLoops loops;

    @BeforeAll
    static void start() {
        loops = new IocpLoops(2);
    }

    @AfterAll
    static void stop() {
        loops.close();
    }

    @ParameterizedTest(name = "overlapped reads: {0}")
    @ValueSource(booleans = {false, true})
    void echoesBytesBetweenServerAndClient(boolean overlappedReads) throws Exception {
        Channel server = new ServerBootstrap().group(loops.group).channel(IocpServerSocketChannel.class)
                .childOption(IocpChannelOption.OVERLAPPED_READS, overlappedReads)
                .childHandler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ctx.writeAndFlush(msg);
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        byte[] payload = new byte[1024 * 1024];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 31 + (i >> 11));
        }
        CompletableFuture<byte[]> echoed = new CompletableFuture<>();
        ByteBuf received = Unpooled.buffer();
        Channel client = new Bootstrap().group(loops.group).channel(IocpSocketChannel.class)
                .option(IocpChannelOption.OVERLAPPED_READS, overlappedReads)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new SimpleChannelInboundHandler<ByteBuf>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                                received.writeBytes(msg);
                                if (received.readableBytes() == payload.length) {
                                    byte[] bytes = new byte[payload.length];
                                    received.readBytes(bytes);
                                    echoed.complete(bytes);
                                }
                            }
                        });
                    }
                })
                .connect(server.localAddress()).sync().channel();
        try {
            for (int off = 0; off < payload.length; off += 100_000) {
                client.write(Unpooled.wrappedBuffer(payload, off, Math.min(100_000, payload.length - off)));
            }
            client.flush();
            assertThat(echoed.get(20, TimeUnit.SECONDS)).isEqualTo(payload);
        } finally {
            received.release();
            client.close().sync();
            server.close().sync();
        }
        IocpLoops.until(() -> loops.stats().operationsInFlight() == 0 && loops.stats().registrations() == 0, 10);
        assertThat(loops.memoryViolations()).isEmpty();
    }
}
