package dev.dxreactor.hbtp;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;

/**
 * Refuses an upgrade request on the HBTP path whose {@code Origin} the config does not allow: 403, and the
 * connection closes before any WebSocket handshake. Requests for other paths pass on untouched.
 */
final class WebSocketOriginGate extends ChannelInboundHandlerAdapter {

    private final HbtpWebSocketConfig config;

    WebSocketOriginGate(HbtpWebSocketConfig config) {
        this.config = config;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request && isOnPath(request.uri(), config.path())
                && !config.allows(request.headers().get(HttpHeaderNames.ORIGIN),
                        request.headers().get(HttpHeaderNames.HOST))) {
            ReferenceCountUtil.release(msg);
            DefaultFullHttpResponse forbidden = new DefaultFullHttpResponse(request.protocolVersion(),
                    HttpResponseStatus.FORBIDDEN, Unpooled.EMPTY_BUFFER);
            HttpUtil.setContentLength(forbidden, 0);
            ctx.channel().config().setAutoRead(false);
            ctx.writeAndFlush(forbidden).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /** The path exactly, or followed by a query string: what Netty's handshake handler takes as its path. */
    static boolean isOnPath(String uri, String path) {
        return uri.startsWith(path) && (uri.length() == path.length() || uri.charAt(path.length()) == '?');
    }
}
