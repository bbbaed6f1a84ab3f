package dev.dxreactor.hbtp;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;

/**
 * The end of a pipeline that serves nothing but the HBTP upgrade: any other request gets 404 and the
 * connection closes.
 */
@ChannelHandler.Sharable
final class HttpNotFound extends ChannelInboundHandlerAdapter {

    static final HttpNotFound INSTANCE = new HttpNotFound();

    private HttpNotFound() {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            DefaultFullHttpResponse notFound = new DefaultFullHttpResponse(request.protocolVersion(),
                    HttpResponseStatus.NOT_FOUND, Unpooled.EMPTY_BUFFER);
            HttpUtil.setContentLength(notFound, 0);
            ctx.channel().config().setAutoRead(false);
            ctx.writeAndFlush(notFound).addListener(ChannelFutureListener.CLOSE);
        }
        ReferenceCountUtil.release(msg);
    }
}
