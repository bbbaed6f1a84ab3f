package dev.dxreactor.benchmarks.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;


/**
 * The floor every protocol is compared with: Netty's {@link LengthFieldBasedFrameDecoder} cutting u32-length
 * prefixed messages, and a handler writing each frame (prefix included) back as it is, flushing once per read
 * burst. No protocol, no limits but the frame length.
 */
public final class RawEchoServer {

    /** Frames above this close the connection: the decoder's one limit. */
    static final int MAX_FRAME = 1 << 20;

    private RawEchoServer() {
    }

    public static void main(String[] args) throws Exception {
        EchoServer.serve(args, RawEchoServer::start);
    }

    static EchoServer start(ServerSettings settings) throws InterruptedException {
        return NettyEchoServer.start(settings, new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(MAX_FRAME + 4, 0, 4), Echo.INSTANCE);
            }
        });
    }

    /** Writes every frame back; flushes when the read burst ends. */
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
