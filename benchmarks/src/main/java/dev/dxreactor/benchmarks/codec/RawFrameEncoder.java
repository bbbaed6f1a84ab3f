package dev.dxreactor.benchmarks.codec;

import dev.dxreactor.hbtp.HbtpHeader;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * The encode baseline: the least a Netty encoder can do to put HBTP's bytes on the wire. It takes the
 * payload buffer itself (no frame object), writes the 8-byte header (fixed opcode and flags, the sequence
 * from a counter, the u32 little-endian length) and the payload into one buffer of exact size, the same
 * allocation {@code HbtpFrameCodec} makes, and checks nothing.
 *
 * <p>Netty's {@code LengthFieldPrepender} is not used: it can only put the length first, and it emits the
 * length as a separate buffer, so neither the bytes nor the buffer count would match HBTP's.
 */
final class RawFrameEncoder extends MessageToByteEncoder<ByteBuf> {

    private final int opcode;
    private final int flags;
    private int sequence;

    RawFrameEncoder(int opcode, int flags) {
        super(ByteBuf.class);
        this.opcode = opcode;
        this.flags = flags;
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, ByteBuf msg, boolean preferDirect) {
        return ctx.alloc().ioBuffer(HbtpHeader.SIZE + msg.readableBytes());
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ByteBuf msg, ByteBuf out) {
        int length = msg.readableBytes();
        // Opcode, flags and sequence are the first four bytes of a little-endian int: one bounds check.
        out.writeIntLE(opcode | flags << 8 | sequence << 16);
        out.writeIntLE(length);
        out.writeBytes(msg, msg.readerIndex(), length);
        sequence = (sequence + 1) & HbtpHeader.MAX_SEQUENCE;
    }
}
