package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The body of HELLO and HELLO_ACK: {@code "HBTP"}, {@code u8 version}, {@code u8 0},
 * {@code u16 capabilities}, {@code u32 maxFrameLength}, {@code u32 maxMessageLength}, then a 32-byte
 * X25519 public key when ENCRYPTION is offered.
 *
 * @param version          protocol version, 1
 * @param capabilities     {@link HbtpCapabilities} bits
 * @param maxFrameLength   largest frame payload the sender accepts
 * @param maxMessageLength largest message the sender accepts
 */
public record HbtpHello(int version, int capabilities, long maxFrameLength, long maxMessageLength) {

    public static final int VERSION = 1;
    /** Size without the public key. */
    public static final int SIZE = 16;
    /** A peer that cannot take frames this small cannot take a HELLO either. */
    public static final int MIN_FRAME_LENGTH = 64;
    private static final int MAGIC = 'H' | 'B' << 8 | 'T' << 16 | 'P' << 24;

    public void write(ByteBuf out) {
        out.writeIntLE(MAGIC);
        out.writeByte(version);
        out.writeByte(0);
        out.writeShortLE(capabilities);
        out.writeIntLE((int) maxFrameLength);
        out.writeIntLE((int) maxMessageLength);
    }

    /** This HELLO as a whole frame: HELLO from a client, HELLO_ACK from a server. */
    public ByteBuf frame(ByteBufAllocator alloc, HbtpOpcode opcode, int sequence) {
        ByteBuf out = alloc.ioBuffer(HbtpHeader.SIZE + SIZE);
        HbtpHeader.write(out, opcode.code(), HbtpFlags.FINAL, sequence, SIZE);
        write(out);
        return out;
    }

    /**
     * Reads and checks a HELLO body.
     *
     * @throws HbtpProtocolException 1002 for a bad magic, reserved byte, size or limit; 1003 for another
     *                               version or an ENCRYPTION offer (not implemented by this release)
     */
    public static HbtpHello read(ByteBuf body) {
        if (body.readableBytes() < SIZE) {
            throw protocol("HELLO is " + body.readableBytes() + " bytes, at least " + SIZE + " expected");
        }
        int at = body.readerIndex();
        if (body.getIntLE(at) != MAGIC) {
            throw protocol("HELLO does not start with \"HBTP\"");
        }
        int version = body.getUnsignedByte(at + 4);
        if (version != VERSION) {
            throw new HbtpProtocolException(HbtpCloseCode.UNSUPPORTED,
                    "HBTP version " + version + " is not supported; this peer speaks version " + VERSION);
        }
        if (body.getUnsignedByte(at + 5) != 0) {
            throw protocol("HELLO reserved byte is not 0");
        }
        int capabilities = body.getUnsignedShortLE(at + 6);
        long maxFrame = body.getUnsignedIntLE(at + 8);
        long maxMessage = body.getUnsignedIntLE(at + 12);
        int expectedSize = (capabilities & HbtpCapabilities.ENCRYPTION) != 0 ? SIZE + 32 : SIZE;
        if (body.readableBytes() != expectedSize) {
            throw protocol("HELLO is " + body.readableBytes() + " bytes, " + expectedSize + " expected");
        }
        if (maxFrame < MIN_FRAME_LENGTH || maxMessage < maxFrame) {
            throw protocol("HELLO limits are unusable: maxFrameLength " + maxFrame + ", maxMessageLength "
                    + maxMessage);
        }
        body.skipBytes(expectedSize);
        return new HbtpHello(version, capabilities, maxFrame, maxMessage);
    }

    /** The limit to send with: the peer's, capped at what an int-sized buffer can hold. */
    public int frameLimit() {
        return (int) Math.min(maxFrameLength, Integer.MAX_VALUE - HbtpHeader.SIZE);
    }

    public int messageLimit() {
        return (int) Math.min(maxMessageLength, Integer.MAX_VALUE - HbtpHeader.SIZE);
    }

    private static HbtpProtocolException protocol(String reason) {
        return new HbtpProtocolException(HbtpCloseCode.PROTOCOL_ERROR, reason);
    }
}
