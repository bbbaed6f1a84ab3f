package dev.dxreactor.hbtp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Counts the HBTP frames and bytes of one connection both ways, placed between TLS (when there is any) and
 * the frame codec, where the stream is whole HBTP frames: headers are in the clear even when payloads are
 * sealed, so frames are counted by walking the headers, without decoding anything. Bytes are HBTP's, TLS
 * records excluded. Added to a pipeline only when metrics are on.
 */
final class WireCounter extends ChannelDuplexHandler {

    /** The four counters of one side (server or client), shared by its connections. */
    record Meters(Counter framesIn, Counter framesOut, Counter bytesIn, Counter bytesOut) {

        static Meters register(MeterRegistry registry, String prefix, Tags tags) {
            return new Meters(frames(registry, prefix, tags, "in"), frames(registry, prefix, tags, "out"),
                    bytes(registry, prefix, tags, "in"), bytes(registry, prefix, tags, "out"));
        }

        private static Counter frames(MeterRegistry registry, String prefix, Tags tags, String direction) {
            return Counter.builder(prefix + "frames").tags(tags).tag("direction", direction)
                    .description("HBTP frames read (in) or written (out)").register(registry);
        }

        private static Counter bytes(MeterRegistry registry, String prefix, Tags tags, String direction) {
            return Counter.builder(prefix + "bytes").tags(tags).tag("direction", direction).baseUnit("bytes")
                    .description("HBTP bytes read (in) or written (out), headers included, TLS excluded")
                    .register(registry);
        }
    }

    private final Meters meters;
    private final FrameWalker in = new FrameWalker();
    private final FrameWalker out = new FrameWalker();

    WireCounter(Meters meters) {
        this.meters = meters;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf && buf.isReadable()) {
            meters.bytesIn().increment(buf.readableBytes());
            int frames = in.walk(buf);
            if (frames > 0) {
                meters.framesIn().increment(frames);
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf && buf.isReadable()) {
            meters.bytesOut().increment(buf.readableBytes());
            int frames = out.walk(buf);
            if (frames > 0) {
                meters.framesOut().increment(frames);
            }
        }
        ctx.write(msg, promise);
    }

    /**
     * Follows frame boundaries across the buffers of one direction: skips each payload by the length in its
     * header, and a header split between two buffers is put together byte by byte.
     */
    static final class FrameWalker {
        private long payloadLeft;
        private int headerFill;
        private long length;

        /** The frames whose header ends in {@code buf}'s readable bytes; {@code buf} is not changed. */
        int walk(ByteBuf buf) {
            int i = buf.readerIndex();
            int end = buf.writerIndex();
            int frames = 0;
            while (i < end) {
                if (payloadLeft > 0) {
                    int skip = (int) Math.min(payloadLeft, end - i);
                    i += skip;
                    payloadLeft -= skip;
                } else if (headerFill == 0 && end - i >= HbtpHeader.SIZE) {
                    payloadLeft = buf.getUnsignedIntLE(i + 4);
                    i += HbtpHeader.SIZE;
                    frames++;
                } else {
                    int b = buf.getUnsignedByte(i++);
                    if (headerFill >= 4) {
                        length |= (long) b << (8 * (headerFill - 4));
                    }
                    if (++headerFill == HbtpHeader.SIZE) {
                        payloadLeft = length;
                        length = 0;
                        headerFill = 0;
                        frames++;
                    }
                }
            }
            return frames;
        }
    }
}
