package dev.dxreactor.transport.afdpoll;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;

import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Sends a deterministic payload through an echo server and checks that exactly it comes back. */
final class EchoClient extends ChannelInboundHandlerAdapter {

    private final byte[] expected;
    private final ByteBuf received;
    final CompletableFuture<Void> done = new CompletableFuture<>();

    EchoClient(byte[] expected) {
        this.expected = expected;
        this.received = Unpooled.buffer(expected.length);
    }

    static byte[] payload(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** An echo server's child handler. */
    static ChannelInboundHandlerAdapter echoServer() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ctx.writeAndFlush(msg);
            }

            @Override
            public boolean isSharable() {
                return true;
            }
        };
    }

    /** Connects, sends {@code payload} and waits until all of it came back unchanged. */
    static void roundTrip(EventLoopGroup group, Channel server, byte[] payload, int seconds) throws Exception {
        EchoClient echo = new EchoClient(payload);
        Channel client = Loopback.client(group, server, echo);
        try {
            client.writeAndFlush(Unpooled.wrappedBuffer(payload));
            echo.done.get(seconds, TimeUnit.SECONDS);
        } finally {
            client.close().sync();
            echo.release();
        }
    }

    void release() {
        received.release();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            received.writeBytes(buf);
        } finally {
            buf.release();
        }
        if (received.readableBytes() >= expected.length) {
            byte[] bytes = new byte[received.readableBytes()];
            received.getBytes(0, bytes);
            try {
                assertThat(bytes).isEqualTo(expected);
                done.complete(null);
            } catch (AssertionError e) {
                done.completeExceptionally(e);
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        done.completeExceptionally(cause);
    }
}
