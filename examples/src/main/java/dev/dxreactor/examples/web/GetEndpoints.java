package dev.dxreactor.examples.web;

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

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;

/**
 * Read-only HTTP endpoints ahead of the rest of the pipeline: the paths {@link #serves} takes are answered here
 * (GET and HEAD; other methods 405), keep-alive as the request asks; every other request goes on down the pipeline
 * untouched. An answer is either at hand ({@link #answer}) or comes later ({@link #answerLater}, e.g. a file read);
 * either way it is written on the channel's event loop.
 */
public abstract class GetEndpoints extends ChannelInboundHandlerAdapter {

    /** Whether this handler answers {@code path} (decoded, without the query). */
    protected abstract boolean serves(String path);

    /** The answer to a GET of {@code path}; its body is dropped for HEAD. */
    protected abstract FullHttpResponse answer(ChannelHandlerContext ctx, String path);

    /**
     * The answer to a GET of {@code path} when it is not at hand at once; by default {@link #answer}. A stage that
     * fails is answered 500.
     */
    protected CompletionStage<FullHttpResponse> answerLater(ChannelHandlerContext ctx, String path) {
        return CompletableFuture.completedFuture(answer(ctx, path));
    }

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
        HttpMethod method = request.method();
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        boolean head = method.equals(HttpMethod.HEAD);
        CompletionStage<FullHttpResponse> answer;
        try {
            if (method.equals(HttpMethod.GET) || head) {
                answer = answerLater(ctx, path);
            } else {
                FullHttpResponse refused = text(ctx.alloc(), HttpResponseStatus.METHOD_NOT_ALLOWED, "GET or HEAD only\n");
                refused.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
                answer = CompletableFuture.completedFuture(refused);
            }
        } finally {
            request.release();
        }
        answer.whenComplete((response, error) -> {
            FullHttpResponse sent = error == null ? response
                    : text(ctx.alloc(), HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error\n");
            if (ctx.executor().inEventLoop()) {
                send(ctx, sent, keepAlive, head);
                return;
            }
            try {
                ctx.executor().execute(() -> send(ctx, sent, keepAlive, head));
            } catch (RejectedExecutionException shutDown) {
                sent.release();
            }
        });
    }

    private static void send(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive, boolean head) {
        HttpUtil.setContentLength(response, response.content().readableBytes());
        HttpUtil.setKeepAlive(response, keepAlive);
        if (head) {
            response.content().clear();
        }
        ChannelFuture written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
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
