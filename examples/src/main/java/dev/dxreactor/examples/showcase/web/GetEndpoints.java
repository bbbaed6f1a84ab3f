package dev.dxreactor.examples.showcase.web;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * Read-only HTTP endpoints ahead of the API's middleware: the paths {@link #serves} takes are answered here (GET
 * and HEAD; other methods 405), keep-alive as the request asks; every other request goes on down the pipeline
 * untouched.
 */
public abstract class GetEndpoints extends ChannelInboundHandlerAdapter {

    /** Whether this handler answers {@code path} (decoded, without the query). */
    protected abstract boolean serves(String path);

    /** The answer to a GET of {@code path}; its body is dropped for HEAD. */
    protected abstract FullHttpResponse answer(ChannelHandlerContext ctx, String path);

    @Override
    public final void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        if (!serves(path)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            HttpMethod method = request.method();
            FullHttpResponse response;
            if (method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD)) {
                response = answer(ctx, path);
            } else {
                response = text(ctx.alloc(), HttpResponseStatus.METHOD_NOT_ALLOWED, "GET or HEAD only\n");
                response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            }
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            HttpUtil.setContentLength(response, response.content().readableBytes());
            HttpUtil.setKeepAlive(response, keepAlive);
            if (method.equals(HttpMethod.HEAD)) {
                response.content().clear();
            }
            ChannelFuture written = ctx.writeAndFlush(response);
            if (!keepAlive) {
                written.addListener(ChannelFutureListener.CLOSE);
            }
        } finally {
            request.release();
        }
    }

    /** A plain-text answer. */
    protected static FullHttpResponse text(ByteBufAllocator alloc, HttpResponseStatus status, String text) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                ByteBufUtil.writeUtf8(alloc, text));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        return response;
    }
}
