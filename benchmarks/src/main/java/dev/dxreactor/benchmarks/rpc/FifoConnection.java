package dev.dxreactor.benchmarks.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

import java.io.IOException;
import java.util.ArrayDeque;

/**
 * A load client connection of a protocol that answers in order (raw echo, HTTP/1.1): the answers are matched
 * to the requests first in, first out. Requests sent while answers are being read are flushed once when the
 * read burst ends; others at once.
 */
abstract class FifoConnection extends ChannelInboundHandlerAdapter implements LoadRun.Connection {

    private record Pending(long id, LoadRun.Answer answer) {
    }

    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final int payload;
    private Channel channel;
    private boolean reading;

    FifoConnection(int payload) {
        this.payload = payload;
    }

    /** The request {@code id} as this protocol frames it. */
    abstract Object request(Channel channel, long id, int payload);

    /** The body of a decoded answer, or {@code null} when the answer is not a success. */
    abstract ByteBuf body(Object answer);

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void call(long id, LoadRun.Answer answer) {
        if (channel.eventLoop().inEventLoop()) {
            send(id, answer);
        } else {
            channel.eventLoop().execute(() -> send(id, answer));
        }
    }

    private void send(long id, LoadRun.Answer answer) {
        if (!channel.isActive()) {
            answer.failed(new IOException("connection closed"));
            return;
        }
        pending.add(new Pending(id, answer));
        channel.write(request(channel, id, payload), channel.voidPromise());
        if (!reading) {
            channel.flush();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        reading = true;
        Pending request = pending.poll();
        try {
            if (request == null) {
                ctx.close();
                return;
            }
            ByteBuf body = body(msg);
            request.answer().answered(body != null && Payloads.matches(body, request.id(), payload));
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        reading = false;
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failAll(cause);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        failAll(new IOException("connection closed"));
    }

    private void failAll(Throwable cause) {
        Pending request;
        while ((request = pending.poll()) != null) {
            request.answer().failed(cause);
        }
    }
}
