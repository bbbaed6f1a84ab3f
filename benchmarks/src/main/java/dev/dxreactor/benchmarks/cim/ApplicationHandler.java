package dev.dxreactor.benchmarks.cim;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;

/** The bare and separate variants' last handler: answers each request with {@link BenchApplication#answer}. */
@ChannelHandler.Sharable
final class ApplicationHandler extends ChannelInboundHandlerAdapter {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest request) {
            Responses.send(ctx, request, BenchApplication.answer(request));
        } else {
            ctx.fireChannelRead(msg);
        }
    }
}
