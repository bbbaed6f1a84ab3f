package dev.dxreactor.cim.http;

import dev.dxreactor.cim.CimConfig;
import dev.dxreactor.cim.CimResponse;
import dev.dxreactor.cim.CimStatus;
import dev.dxreactor.cim.HookFailures;
import dev.dxreactor.cim.MiddlewareContext;
import dev.dxreactor.cim.Protocol;
import dev.dxreactor.cim.internal.Stages;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * One HTTP request going through a generated chain handler: the request as middleware sees it, its
 * context, and the steps the handler takes with it (await the application, send the response). Event loop
 * only.
 */
public final class HttpExchange implements HttpCimRequest {

    private static final String APPLICATION = "HTTP application";
    private static final AsciiString TEXT_UTF8 = AsciiString.cached(HttpHeaderValues.TEXT_PLAIN + "; charset=utf-8");

    private final ChannelHandlerContext ctx;
    private final FullHttpRequest request;
    private final MiddlewareContext context;

    /** Takes ownership of {@code request}: it is released when the response is sent. */
    public HttpExchange(ChannelHandlerContext ctx, FullHttpRequest request, CimConfig config) {
        this.ctx = ctx;
        this.request = request;
        this.context = new MiddlewareContext(config.nanoClock().getAsLong());
    }

    /**
     * Answers a request Netty could not decode (its {@code decoderResult()} failed) with 400 and closes the
     * connection, since the stream's framing can no longer be trusted; the chain and application never see it.
     *
     * @return whether the request was malformed and has been answered
     */
    public boolean rejectIfMalformed() {
        if (request.decoderResult().isSuccess()) {
            return false;
        }
        FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(),
                HttpResponseStatus.BAD_REQUEST, Unpooled.copiedBuffer("malformed request", StandardCharsets.UTF_8));
        HttpUtil.setContentLength(response, response.content().readableBytes());
        HttpUtil.setKeepAlive(response, false);
        request.release();
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        return true;
    }

    public MiddlewareContext context() {
        return context;
    }

    @Override
    public Protocol protocol() {
        return Protocol.HTTP;
    }

    @Override
    public FullHttpRequest http() {
        return request;
    }

    @Override
    public ChannelHandlerContext channelContext() {
        return ctx;
    }

    @Override
    public String header(CharSequence name) {
        return request.headers().get(name);
    }

    @Override
    public String bearerToken() {
        String value = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (value == null || value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = value.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    @Override
    public String origin() {
        return request.headers().get(HttpHeaderNames.ORIGIN);
    }

    @Override
    public boolean isPreflight() {
        return HttpMethod.OPTIONS.equals(request.method())
                && request.headers().contains(HttpHeaderNames.ORIGIN)
                && request.headers().contains(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
    }

    @Override
    public SocketAddress remoteAddress() {
        return ctx.channel().remoteAddress();
    }

    @Override
    public String describe() {
        return request.method() + " " + request.uri();
    }

    @Override
    public HttpCimResponse reply(CimStatus status, String message) {
        ByteBuf body = message == null || message.isEmpty() || status == CimStatus.NO_CONTENT
                ? Unpooled.EMPTY_BUFFER
                : Unpooled.copiedBuffer(message, StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(),
                HttpResponseStatus.valueOf(status.httpCode()), body);
        if (body.isReadable()) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, TEXT_UTF8);
        }
        return new HttpResponseAdapter(response);
    }

    /** Whether {@code stage} has its answer already and this is the event loop: the handler goes on inline. */
    public boolean isAnswered(CompletionStage<FullHttpResponse> stage) {
        return ctx.executor().inEventLoop() && Stages.isDone(stage);
    }

    /** The answer of a completed {@code stage}, an application failure turned into its error response. */
    public HttpCimResponse answer(CompletionStage<FullHttpResponse> stage) {
        try {
            return wrap(Stages.join(stage), null);
        } catch (RuntimeException e) {
            return wrap(null, e);
        }
    }

    /** Calls {@code next} with the answer of {@code stage}, on the event loop, once it completes. */
    public void onAnswer(CompletionStage<FullHttpResponse> stage, Consumer<HttpCimResponse> next) {
        stage.whenComplete((response, error) -> {
            if (ctx.executor().inEventLoop()) {
                next.accept(wrap(response, error));
                return;
            }
            try {
                ctx.executor().execute(() -> next.accept(wrap(response, error)));
            } catch (RuntimeException rejected) {
                ReferenceCountUtil.release(response);
                request.release();
            }
        });
    }

    private HttpCimResponse wrap(FullHttpResponse response, Throwable error) {
        if (error != null) {
            ReferenceCountUtil.release(response);
            return (HttpCimResponse) HookFailures.failed(this, APPLICATION, error);
        }
        if (response == null) {
            return (HttpCimResponse) HookFailures.failed(this, APPLICATION,
                    new NullPointerException("the application answered null"));
        }
        return new HttpResponseAdapter(response);
    }

    /**
     * Writes {@code response} (an {@link HttpCimResponse} of this exchange) and releases the request. Keeps the
     * connection open when the request asked for keep-alive, closes it after the write otherwise.
     */
    public void send(CimResponse response) {
        FullHttpResponse out = ((HttpCimResponse) response).http();
        try {
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            HttpUtil.setContentLength(out, out.content().readableBytes());
            HttpUtil.setKeepAlive(out, keepAlive);
            if (!ctx.channel().isActive()) {
                out.release();
                return;
            }
            if (keepAlive) {
                ctx.writeAndFlush(out, ctx.voidPromise());
            } else {
                ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
            }
        } finally {
            request.release();
        }
    }
}
