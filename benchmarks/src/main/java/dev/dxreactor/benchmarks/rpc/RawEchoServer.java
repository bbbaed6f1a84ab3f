package dev.dxreactor.benchmarks.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;

/**
 * The floor every protocol is compared with, as {@code benchmarks.md} defines it and a Netty user writes it:
 * Netty's {@link LengthFieldBasedFrameDecoder} cutting u32-length prefixed messages (the prefix stripped), a
 * handler writing each message back, {@link LengthFieldPrepender} putting the prefix in front again, one flush
 * per read burst. No protocol, no limits but the frame length.
 *
 * <p>{@link #startOneBuffer} is the same echo without the prepender: each frame goes back as it came, prefix
 * included, one buffer and no header of its own. That is no user's echo server, but the least any length-prefixed
 * protocol can cost on a transport (the {@code raw-onebuf} variant).
 */
public final class RawEchoServer {

    /** Frames above this close the connection: the decoder's one limit. */
    static final int MAX_FRAME = 1 << 20;

    private RawEchoServer() {
    }

    public static void main(String[] args) throws Exception {
        EchoServer.serve(args, RawEchoServer::start);
    }

    /** The {@code raw-onebuf} server's main. */
    public static final class OneBuffer {
        private OneBuffer() {
        }

        public static void main(String[] args) throws Exception {
            EchoServer.serve(args, RawEchoServer::startOneBuffer);
        }
    }

    static EchoServer start(ServerSettings settings) throws InterruptedException {
        return NettyEchoServer.start(settings, new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(MAX_FRAME + 4, 0, 4, 0, 4),
                        new LengthFieldPrepender(4), Echo.INSTANCE);
            }
        });
    }

    static EchoServer startOneBuffer(ServerSettings settings) throws InterruptedException {
        return NettyEchoServer.start(settings, new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(MAX_FRAME + 4, 0, 4), Echo.INSTANCE);
            }
        });
    }

    /** Writes every message back; flushes when the read burst ends. */
    @ChannelHandler.Sharable
    static final class Echo extends ChannelInboundHandlerAdapter {
        static final Echo INSTANCE = new Echo();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write((ByteBuf) msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
