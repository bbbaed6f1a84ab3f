package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.buffer.Unpooled;

/**
 * One HBTP frame, or a whole message once {@link HbtpFrameCodec} has reassembled its fragments: the header
 * fields and the payload.
 *
 * <p>Reference counted through its payload: whoever receives a frame from the pipeline releases it (or
 * passes it on). The payload a decoder produces is a slice of the bytes read, not a copy.
 */
public final class HbtpFrame extends DefaultByteBufHolder {

    private final HbtpOpcode opcode;
    private final int flags;
    private final int sequence;

    /**
     * @param opcode   the opcode
     * @param flags    the flag bits; reserved bits must be clear
     * @param sequence 0..65535
     * @param payload  the payload; this frame takes ownership
     */
    public HbtpFrame(HbtpOpcode opcode, int flags, int sequence, ByteBuf payload) {
        super(payload);
        if (opcode == null) {
            throw new NullPointerException("opcode");
        }
        if ((flags & ~0xFF) != 0 || (flags & HbtpFlags.RESERVED_MASK) != 0) {
            throw new IllegalArgumentException("flags " + HbtpFlags.toString(flags) + " set reserved bits");
        }
        if (sequence < 0 || sequence > HbtpHeader.MAX_SEQUENCE) {
            throw new IllegalArgumentException("sequence " + sequence + " is outside 0..65535");
        }
        this.opcode = opcode;
        this.flags = flags;
        this.sequence = sequence;
    }

    /** A single-frame message (FINAL set) with an empty payload. */
    public static HbtpFrame empty(HbtpOpcode opcode, int flags, int sequence) {
        return new HbtpFrame(opcode, flags | HbtpFlags.FINAL, sequence, Unpooled.EMPTY_BUFFER);
    }

    public HbtpOpcode opcode() {
        return opcode;
    }

    public int flags() {
        return flags;
    }

    public boolean hasFlag(int flag) {
        return (flags & flag) != 0;
    }

    public int sequence() {
        return sequence;
    }

    public ByteBuf payload() {
        return content();
    }

    @Override
    public HbtpFrame replace(ByteBuf content) {
        return new HbtpFrame(opcode, flags, sequence, content);
    }

    @Override
    public HbtpFrame copy() {
        return replace(content().copy());
    }

    @Override
    public HbtpFrame duplicate() {
        return replace(content().duplicate());
    }

    @Override
    public HbtpFrame retainedDuplicate() {
        return replace(content().retainedDuplicate());
    }

    @Override
    public HbtpFrame retain() {
        super.retain();
        return this;
    }

    @Override
    public HbtpFrame retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public HbtpFrame touch() {
        super.touch();
        return this;
    }

    @Override
    public HbtpFrame touch(Object hint) {
        super.touch(hint);
        return this;
    }

    @Override
    public String toString() {
        return "HbtpFrame(" + opcode + ", " + HbtpFlags.toString(flags) + ", seq " + sequence + ", "
                + (refCnt() > 0 ? content().readableBytes() + " B" : "released") + ")";
    }
}
