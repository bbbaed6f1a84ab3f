package dev.dxreactor.benchmarks.cim;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.function.LongSupplier;

/** Separate variant: takes a token per request, answers 429 with {@code Retry-After} when there is none. */
@ChannelHandler.Sharable
final class RateLimitHandler extends ChannelInboundHandlerAdapter {

    private final LoopRateLimiter limiter;
    private final LongSupplier clock;

    RateLimitHandler(LoopRateLimiter limiter, LongSupplier clock) {
        this.limiter = limiter;
        this.clock = clock;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest request) {
            long waitNanos = limiter.acquire(ctx.channel().remoteAddress(), clock.getAsLong());
            if (waitNanos != 0) {
                FullHttpResponse refusal = Responses.reply(request, HttpResponseStatus.TOO_MANY_REQUESTS,
                        ChainRules.RATE_LIMITED);
                refusal.headers().set(HttpHeaderNames.RETRY_AFTER, ChainRules.retryAfterSeconds(waitNanos));
                Responses.send(ctx, request, refusal);
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }
}
