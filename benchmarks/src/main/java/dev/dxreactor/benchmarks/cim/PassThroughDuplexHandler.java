package dev.dxreactor.benchmarks.cim;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Separate pass-through variant: a middleware with a before and an after as an ordinary Netty handler that
 * does nothing but pass the request on ({@code channelRead}) and the response out ({@code write}), counting
 * both in its channel's {@link HookTally}. Every other event goes past it untouched (Netty skips the methods
 * it does not override).
 */
final class PassThroughDuplexHandler extends ChannelDuplexHandler {

    private final HookTally tally;

    PassThroughDuplexHandler(HookTally tally) {
        this.tally = tally;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        tally.befores++;
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        tally.afters++;
        ctx.write(msg, promise);
    }
}
