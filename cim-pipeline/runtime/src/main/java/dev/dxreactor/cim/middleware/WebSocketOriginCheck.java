package dev.dxreactor.cim.middleware;

import dev.dxreactor.cim.OriginPolicy;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Refuses a WebSocket handshake (an HTTP request with {@code Upgrade: websocket}) whose {@code Origin} the
 * chain does not allow: 403 and the connection closes. Put it in front of Netty's
 * {@code WebSocketServerProtocolHandler} when HBTP runs over WebSocket, with the policy compiled into the
 * chain's handler:
 *
 * <pre>{@code
 * pipeline.addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
 *         new WebSocketOriginCheck(ApiChainHandler.ORIGIN_POLICY),
 *         new WebSocketServerProtocolHandler("/hbtp"));
 * }</pre>
 *
 * A handshake without {@code Origin} (not from a browser) and every other message pass on untouched.
 */
@ChannelHandler.Sharable
public final class WebSocketOriginCheck extends ChannelInboundHandlerAdapter {

    private final OriginPolicy origins;

    public WebSocketOriginCheck(OriginPolicy origins) {
        this.origins = origins;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest request && isRefused(request)) {
            DefaultFullHttpResponse forbidden = new DefaultFullHttpResponse(request.protocolVersion(),
                    HttpResponseStatus.FORBIDDEN, Unpooled.EMPTY_BUFFER);
            HttpUtil.setContentLength(forbidden, 0);
            request.release();
            ctx.writeAndFlush(forbidden).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private boolean isRefused(FullHttpRequest request) {
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        return origin != null
                && request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
                && !origins.allows(origin);
    }
}
