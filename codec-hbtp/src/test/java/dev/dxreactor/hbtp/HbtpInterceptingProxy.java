package dev.dxreactor.hbtp;

import dev.dxreactor.reactor.DxReactor;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The strongest man in the middle HBTP encryption can meet without a pre-shared key: it answers the client's
 * HELLO with a HELLO of its own key to the server and the server's HELLO_ACK with a HELLO_ACK of another own
 * key to the client, so it holds the keys of both sessions, then opens every frame from one side and seals it
 * again for the other. It records every plaintext it saw.
 */
final class HbtpInterceptingProxy implements AutoCloseable {

    private final DxReactor reactor;
    private final InetSocketAddress server;
    private final Channel listener;
    private final List<byte[]> plaintexts = new CopyOnWriteArrayList<>();
    private volatile boolean keysSubstituted;

    HbtpInterceptingProxy(DxReactor reactor, InetSocketAddress server) throws InterruptedException {
        this.reactor = reactor;
        this.server = server;
        this.listener = reactor.serverBootstrap()
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel client) {
                        client.pipeline().addLast(new HbtpFrameCodec(), new Session(client));
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    boolean keysSubstituted() {
        return keysSubstituted;
    }

    /** Whether any frame sealed by a real end was opened here. */
    boolean openedAnything() {
        return !plaintexts.isEmpty();
    }

    boolean sawPlaintext(byte[] secret) {
        ByteBuf needle = Unpooled.wrappedBuffer(secret);
        return plaintexts.stream().anyMatch(p -> ByteBufUtil.indexOf(needle, Unpooled.wrappedBuffer(p)) >= 0);
    }

    @Override
    public void close() throws InterruptedException {
        listener.close().sync();
    }

    /** One intercepted connection: both channels run on the client channel's event loop. */
    private final class Session extends ChannelInboundHandlerAdapter {
        private final Channel client;
        private Channel upstream;
        private HbtpHello clientHello;
        private HbtpHello helloToServer;
        private HbtpKeyExchange towardsServer;

        Session(Channel client) {
            this.client = client;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ChannelFuture connect = new Bootstrap().group(client.eventLoop())
                    .channel(reactor.transport().socketChannelClass())
                    .handler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new HbtpFrameCodec(), new FromServer());
                        }
                    })
                    .connect(server);
            upstream = connect.channel();
            connect.addListener((ChannelFutureListener) f -> {
                if (f.isSuccess()) {
                    client.config().setAutoRead(true);
                } else {
                    client.close();
                }
            });
        }

        /** From the client. */
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            HbtpFrame frame = (HbtpFrame) msg;
            try {
                if (clientHello == null) {
                    clientHello = HbtpHello.read(frame.payload());
                    towardsServer = clientHello.publicKey() != null ? HbtpKeyExchange.start() : null;
                    helloToServer = new HbtpHello(clientHello.version(), clientHello.capabilities(),
                            clientHello.maxFrameLength(), clientHello.maxMessageLength(),
                            towardsServer != null ? towardsServer.publicKey() : null);
                    upstream.writeAndFlush(helloToServer.frame(ctx.alloc(), HbtpOpcode.HELLO, frame.sequence()));
                    return;
                }
                relay(frame, upstream);
            } finally {
                frame.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            upstream.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            client.close();
            upstream.close();
        }

        private void relay(HbtpFrame frame, Channel to) {
            plaintexts.add(ByteBufUtil.getBytes(frame.payload()));
            to.writeAndFlush(new HbtpFrame(frame.opcode(), frame.flags(), frame.sequence(),
                    frame.payload().retain()));
        }

        /** From the server. */
        private final class FromServer extends ChannelInboundHandlerAdapter {
            private boolean acknowledged;

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                HbtpFrame frame = (HbtpFrame) msg;
                try {
                    if (!acknowledged) {
                        acknowledged = true;
                        substituteKeys(ctx, HbtpHello.read(frame.payload()), frame.sequence());
                        return;
                    }
                    relay(frame, client);
                } finally {
                    frame.release();
                }
            }

            private void substituteKeys(ChannelHandlerContext ctx, HbtpHello ack, int sequence) {
                if (ack.publicKey() == null) {
                    client.writeAndFlush(ack.frame(ctx.alloc(), HbtpOpcode.HELLO_ACK, sequence));
                    return;
                }
                ctx.pipeline().get(HbtpFrameCodec.class).startEncryption(
                        towardsServer.finish(true, helloToServer, ack, null));
                HbtpKeyExchange towardsClient = HbtpKeyExchange.start();
                HbtpHello ackToClient = new HbtpHello(ack.version(), ack.capabilities(), ack.maxFrameLength(),
                        ack.maxMessageLength(), towardsClient.publicKey());
                client.writeAndFlush(ackToClient.frame(ctx.alloc(), HbtpOpcode.HELLO_ACK, sequence));
                client.pipeline().get(HbtpFrameCodec.class).startEncryption(
                        towardsClient.finish(false, clientHello, ackToClient, null));
                keysSubstituted = true;
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                client.close();
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                client.close();
                upstream.close();
            }
        }
    }
}
