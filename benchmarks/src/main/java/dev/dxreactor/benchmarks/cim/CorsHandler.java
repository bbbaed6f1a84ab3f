package dev.dxreactor.benchmarks.cim;

import dev.dxreactor.cim.FixedHeaders;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Separate variant: refuses requests from other origins (403), answers preflights from the allowed one
 * (204), and adds the allowed origin and {@code Vary: Origin} to the response of any other request that
 * carried it. One per connection: it keeps the origin of the request in flight for its response, as
 * Netty's own {@code CorsHandler} keeps the request.
 */
final class CorsHandler extends ChannelDuplexHandler {

    private FixedHeaders originHeaders;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (origin == null) {
            ctx.fireChannelRead(msg);
            return;
        }
        FixedHeaders allowed = ChainRules.originHeaders(origin);
        if (allowed == null) {
            Responses.send(ctx, request, Responses.reply(request, HttpResponseStatus.FORBIDDEN,
                    ChainRules.ORIGIN_REFUSED));
            return;
        }
        if (Responses.isPreflight(request)) {
            // Written from here, so this handler's own write does not see it: the origin headers go on now.
            FullHttpResponse preflight = Responses.preflight(request);
            allowed.setOn(preflight.headers());
            Responses.send(ctx, request, preflight);
            return;
        }
        originHeaders = allowed;
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        FixedHeaders headers = originHeaders;
        if (headers != null && msg instanceof HttpResponse response) {
            originHeaders = null;
            headers.setOn(response.headers());
        }
        ctx.write(msg, promise);
    }
}
