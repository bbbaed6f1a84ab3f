package dev.dxreactor.benchmarks.cim;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Separate pass-through variant: a middleware with only a before as an ordinary Netty handler that does
 * nothing but pass the request on, counting it in its channel's {@link HookTally}.
 */
final class PassThroughInboundHandler extends ChannelInboundHandlerAdapter {

    private final HookTally tally;

    PassThroughInboundHandler(HookTally tally) {
        this.tally = tally;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        tally.befores++;
        ctx.fireChannelRead(msg);
    }
}
