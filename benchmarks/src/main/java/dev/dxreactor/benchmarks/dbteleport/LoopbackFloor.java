package dev.dxreactor.benchmarks.dbteleport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.FixedLengthFrameDecoder;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * The floor under an HBTP call on loopback: a bare Netty server that answers a 4-byte request with
 * prebuilt bytes (a 4-byte length, then the body), and a bare client that, like {@code HbtpClient}, hops
 * from the caller's thread to its event loop to write and completes a future on that loop when the answer
 * is read. Same transport, same threads, same hand-offs; no protocol, no router, no cache.
 */
final class LoopbackFloor implements AutoCloseable {

    private final Channel server;
    private final Channel client;
    /** Futures of the requests written and not answered yet, in order (TCP keeps it). Client loop only. */
    private final ArrayDeque<CompletableFuture<ByteBuf>> waiting = new ArrayDeque<>();

    /** @param bodies the answer to request {@code i} is {@code bodies[i]} */
    LoopbackFloor(BenchTransport transport, EventLoopGroup serverGroup, EventLoopGroup clientGroup, byte[][] bodies)
            throws InterruptedException {
        ByteBuf[] answers = new ByteBuf[bodies.length];
        for (int i = 0; i < bodies.length; i++) {
            answers[i] = Unpooled.unreleasableBuffer(Unpooled.directBuffer(4 + bodies[i].length)
                    .writeInt(bodies[i].length).writeBytes(bodies[i]).asReadOnly());
        }
        server = new ServerBootstrap().group(serverGroup).channel(transport.serverChannel())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new FixedLengthFrameDecoder(4), new SimpleChannelInboundHandler<ByteBuf>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, ByteBuf request) {
                                ctx.writeAndFlush(answers[request.readIntLE()].duplicate(), ctx.voidPromise());
                            }
                        });
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        client = new Bootstrap().group(clientGroup).channel(transport.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(1 << 20, 0, 4, 0, 4),
                                new SimpleChannelInboundHandler<ByteBuf>(false) {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf body) {
                                        CompletableFuture<ByteBuf> next = waiting.poll();
                                        if (next == null) {
                                            body.release();
                                            throw new IllegalStateException("an answer nobody asked for");
                                        }
                                        next.complete(body);
                                    }
                                });
                    }
                })
                .connect(server.localAddress()).sync().channel();
    }

    /** Request {@code i}; the body handed out is the caller's to release. */
    CompletableFuture<ByteBuf> call(int i) {
        CompletableFuture<ByteBuf> answer = new CompletableFuture<>();
        client.eventLoop().execute(() -> {
            waiting.add(answer);
            client.writeAndFlush(client.alloc().ioBuffer(4).writeIntLE(i), client.voidPromise());
        });
        return answer;
    }

    @Override
    public void close() throws InterruptedException {
        client.close().sync();
        server.close().sync();
    }
}
