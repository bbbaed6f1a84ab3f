package dev.dxreactor.hbtp.cli;

import dev.dxreactor.hbtp.HbtpFlags;
import dev.dxreactor.hbtp.HbtpFrame;
import dev.dxreactor.hbtp.HbtpOpcode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Times PING/PONG round trips on a client's connection. {@code HbtpClient} pings only when idle and does not
 * expose the answer, so the probe writes PING frames itself (the codec seals them when HBTP encryption is on)
 * and sits between the codec and the client's handler to take the PONGs that carry its own payload: 8 marker
 * bytes and the send time. Every other frame passes on untouched.
 */
final class PingProbe extends ChannelInboundHandlerAdapter {

    /** The pipeline name of the probe: just in front of the client's own handler. */
    static final String NAME = "hbtp-cli-ping";
    private static final String CLIENT_HANDLER = "hbtp-client";
    /** "hbtp-cli" as a little-endian long. */
    private static final long MARKER = 0x696c632d70746268L;
    private static final int PAYLOAD_SIZE = 16;

    private final ConcurrentMap<Integer, CompletableFuture<Long>> waiting = new ConcurrentHashMap<>();
    private final Channel channel;

    private PingProbe(Channel channel) {
        this.channel = channel;
    }

    /** Puts a probe on the connection of {@code channel}. */
    static PingProbe install(Channel channel) {
        PingProbe probe = new PingProbe(channel);
        channel.pipeline().addBefore(CLIENT_HANDLER, NAME, probe);
        return probe;
    }

    /** Sends PING {@code sequence}; completes with the round trip in nanoseconds when its PONG arrives. */
    CompletableFuture<Long> ping(int sequence) {
        CompletableFuture<Long> pong = new CompletableFuture<>();
        waiting.put(sequence, pong);
        ByteBuf payload = channel.alloc().buffer(PAYLOAD_SIZE);
        payload.writeLongLE(MARKER).writeLongLE(System.nanoTime());
        channel.writeAndFlush(new HbtpFrame(HbtpOpcode.PING, HbtpFlags.FINAL, sequence, payload))
                .addListener(written -> {
                    if (!written.isSuccess()) {
                        waiting.remove(sequence, pong);
                        pong.completeExceptionally(written.cause());
                    }
                });
        return pong;
    }

    /** Forgets PING {@code sequence}, so that a late PONG for it is dropped. */
    void forget(int sequence) {
        waiting.remove(sequence);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HbtpFrame frame && frame.opcode() == HbtpOpcode.PONG && isOurs(frame.payload())) {
            long received = System.nanoTime();
            try {
                CompletableFuture<Long> pong = waiting.remove(frame.sequence());
                if (pong != null) {
                    pong.complete(received - frame.payload().getLongLE(frame.payload().readerIndex() + 8));
                }
            } finally {
                frame.release();
            }
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private static boolean isOurs(ByteBuf payload) {
        return payload.readableBytes() == PAYLOAD_SIZE && payload.getLongLE(payload.readerIndex()) == MARKER;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        waiting.values().forEach(pong -> pong.completeExceptionally(
                new IllegalStateException("the connection closed before the PONG")));
        waiting.clear();
        ctx.fireChannelInactive();
    }
}
