package dev.dxreactor.benchmarks.cim;

import dev.dxreactor.cim.FixedHeaders;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.function.LongSupplier;

/**
 * Hand-written variant: the four middlewares' work and the application in one handler, as someone would
 * write it without a framework, in the chain's order: start the timer, check the API key, take a rate
 * limit token, check the origin (answering a preflight), answer, add the origin headers, stop the timer.
 */
final class HandWrittenHandler extends ChannelInboundHandlerAdapter {

    private final LoopRateLimiter limiter;
    private final LongSupplier clock;

    HandWrittenHandler(LoopRateLimiter limiter, LongSupplier clock) {
        this.limiter = limiter;
        this.clock = clock;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        long startNanos = clock.getAsLong();
        FullHttpResponse response = answer(ctx, request);
        response.headers().set(ChainRules.RESPONSE_TIME, ChainRules.responseTime(clock.getAsLong() - startNanos));
        Responses.send(ctx, request, response);
    }

    private FullHttpResponse answer(ChannelHandlerContext ctx, FullHttpRequest request) {
        HttpHeaders headers = request.headers();
        if (!ChainRules.API_KEY.equals(headers.get(ChainRules.API_KEY_HEADER))) {
            return Responses.reply(request, HttpResponseStatus.UNAUTHORIZED, ChainRules.API_KEY_REFUSED);
        }
        long waitNanos = limiter.acquire(ctx.channel().remoteAddress(), clock.getAsLong());
        if (waitNanos != 0) {
            FullHttpResponse refusal = Responses.reply(request, HttpResponseStatus.TOO_MANY_REQUESTS,
                    ChainRules.RATE_LIMITED);
            refusal.headers().set(HttpHeaderNames.RETRY_AFTER, ChainRules.retryAfterSeconds(waitNanos));
            return refusal;
        }
        String origin = headers.get(HttpHeaderNames.ORIGIN);
        if (origin == null) {
            return BenchApplication.answer(request);
        }
        FixedHeaders allowed = ChainRules.originHeaders(origin);
        if (allowed == null) {
            return Responses.reply(request, HttpResponseStatus.FORBIDDEN, ChainRules.ORIGIN_REFUSED);
        }
        FullHttpResponse response = Responses.isPreflight(request)
                ? Responses.preflight(request)
                : BenchApplication.answer(request);
        allowed.setOn(response.headers());
        return response;
    }
}
