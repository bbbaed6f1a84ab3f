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
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;

/**
 * Read-only HTTP endpoints ahead of the rest of the pipeline: the paths {@link #serves} takes are answered here
 * (GET and HEAD; other methods 405), keep-alive as the request asks; every other request goes on down the pipeline
 * untouched. An answer is either at hand ({@link #answer}) or comes later ({@link #answerLater}, e.g. a file read);
 * either way it is written on the channel's event loop, and in the order the requests came (HTTP/1.1 requires it of
 * pipelined requests), even when a later request's answer is ready first.
 *
 * <p>A client that sends requests and does not read the answers holds server memory with every answer. Once the
 * channel stops being writable (its outbound bytes passed the high water mark), this handler stops reading from it
 * until it drains; requests already read still get answers, at most {@value #MAX_ANSWERS_WHILE_UNWRITABLE} of
 * them, and a client that pipelines more than that while not reading is disconnected.
 */
public abstract class GetEndpoints extends ChannelInboundHandlerAdapter {

    /** The write of the channel's latest answer, which the next answer waits for. */
    private static final AttributeKey<CompletionStage<Void>> LATEST =
            AttributeKey.valueOf(GetEndpoints.class, "latest");
    /** Answers a channel may be given while it is not writable, before it is closed. */
    static final int MAX_ANSWERS_WHILE_UNWRITABLE = 16;
    private static final AttributeKey<Backlog> BACKLOG = AttributeKey.valueOf(GetEndpoints.class, "backlog");

    /** What a channel that stopped reading its answers has been given since. */
    private static final class Backlog {
        int answersWhileUnwritable;
        /** Whether reading was turned off here (and so is this handler's to turn back on). */
        boolean pausedReading;
    }

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
        if (!ctx.channel().isWritable() && !admitWhileUnwritable(ctx)) {
            request.release();
            ctx.close();
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
        Attribute<CompletionStage<Void>> latest = ctx.channel().attr(LATEST);
        CompletionStage<Void> before = latest.get();
        CompletableFuture<Void> written = new CompletableFuture<>();
        latest.set(written);
        CompletionStage<FullHttpResponse> inTurn = before == null ? answer
                : before.thenCombine(answer, (previousWritten, response) -> response);
        inTurn.whenComplete((response, error) -> {
            FullHttpResponse sent = error == null ? response
                    : text(ctx.alloc(), HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error\n");
            if (ctx.executor().inEventLoop()) {
                send(ctx, sent, keepAlive, head, written);
                return;
            }
            try {
                ctx.executor().execute(() -> send(ctx, sent, keepAlive, head, written));
            } catch (RejectedExecutionException shutDown) {
                sent.release();
                written.complete(null);
            }
        });
    }

    /** Stops reading from a channel whose answers are not read; false once it has had its share of answers. */
    private static boolean admitWhileUnwritable(ChannelHandlerContext ctx) {
        Backlog backlog = ctx.channel().attr(BACKLOG).setIfAbsent(new Backlog());
        if (backlog == null) {
            backlog = ctx.channel().attr(BACKLOG).get();
        }
        if (ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(false);
            backlog.pausedReading = true;
        }
        return ++backlog.answersWhileUnwritable <= MAX_ANSWERS_WHILE_UNWRITABLE;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Backlog backlog = ctx.channel().attr(BACKLOG).get();
        if (backlog != null && ctx.channel().isWritable()) {
            backlog.answersWhileUnwritable = 0;
            if (backlog.pausedReading) {
                backlog.pausedReading = false;
                ctx.channel().config().setAutoRead(true);
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    private static void send(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive, boolean head,
                             CompletableFuture<Void> written) {
        HttpUtil.setContentLength(response, response.content().readableBytes());
        HttpUtil.setKeepAlive(response, keepAlive);
        if (head) {
            response.content().clear();
        }
        ChannelFuture write = ctx.writeAndFlush(response);
        written.complete(null);
        if (!keepAlive) {
            write.addListener(ChannelFutureListener.CLOSE);
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
