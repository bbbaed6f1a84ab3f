package dev.dxreactor.benchmarks.cim;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponse;

import java.util.function.LongSupplier;

/**
 * Separate variant, outermost handler: notes when a request arrives and adds {@code X-Response-Time} to
 * the response going out, whichever handler wrote it. One per connection (it keeps the start of the
 * request in flight; HTTP/1.1 without pipelining has one).
 */
final class TimingHandler extends ChannelDuplexHandler {

    private final LongSupplier clock;
    private long startNanos;

    TimingHandler(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest) {
            startNanos = clock.getAsLong();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response) {
            response.headers().set(ChainRules.RESPONSE_TIME, ChainRules.responseTime(clock.getAsLong() - startNanos));
        }
        ctx.write(msg, promise);
    }
}
