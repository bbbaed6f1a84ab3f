package dev.dxreactor.benchmarks.cim;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

/** Separate variant: passes requests carrying the API key on, answers the others 401 itself. */
@ChannelHandler.Sharable
final class ApiKeyHandler extends ChannelInboundHandlerAdapter {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest request
                && !ChainRules.API_KEY.equals(request.headers().get(ChainRules.API_KEY_HEADER))) {
            Responses.send(ctx, request,
                    Responses.reply(request, HttpResponseStatus.UNAUTHORIZED, ChainRules.API_KEY_REFUSED));
            return;
        }
        ctx.fireChannelRead(msg);
    }
}
