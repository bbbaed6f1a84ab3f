package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.util.Arrays;
import java.util.Objects;

/**
 * The body of HELLO and HELLO_ACK: {@code "HBTP"}, {@code u8 version}, {@code u8 0},
 * {@code u16 capabilities}, {@code u32 maxFrameLength}, {@code u32 maxMessageLength}, then a 32-byte
 * X25519 public key when ENCRYPTION is offered.
 *
 * @param version          protocol version, 1
 * @param capabilities     {@link HbtpCapabilities} bits
 * @param maxFrameLength   largest frame payload the sender accepts
 * @param maxMessageLength largest message the sender accepts
 * @param publicKey        the sender's 32-byte X25519 public key when {@code capabilities} include
 *                         ENCRYPTION, otherwise {@code null}
 */
public record HbtpHello(int version, int capabilities, long maxFrameLength, long maxMessageLength,
                        byte[] publicKey) {

    public static final int VERSION = 1;
    /** Size without the public key. */
    public static final int SIZE = 16;
    /** A peer that cannot take frames this small cannot take a HELLO either. */
    public static final int MIN_FRAME_LENGTH = 64;
    private static final int MAGIC = 'H' | 'B' << 8 | 'T' << 16 | 'P' << 24;

    /**
     * @throws IllegalArgumentException when a public key is missing for ENCRYPTION, present without it, or
     *                                  not 32 bytes
     */
    public HbtpHello {
        boolean encryption = (capabilities & HbtpCapabilities.ENCRYPTION) != 0;
        if (encryption != (publicKey != null)) {
            throw new IllegalArgumentException(encryption ? "ENCRYPTION needs a public key"
                    : "a public key without ENCRYPTION");
        }
        if (publicKey != null) {
            if (publicKey.length != HbtpKeyExchange.PUBLIC_KEY_SIZE) {
                throw new IllegalArgumentException("public key is " + publicKey.length + " bytes, 32 expected");
            }
            publicKey = publicKey.clone();
        }
    }

    /** A HELLO that does not offer encryption. */
    public HbtpHello(int version, int capabilities, long maxFrameLength, long maxMessageLength) {
        this(version, capabilities, maxFrameLength, maxMessageLength, null);
    }

    @Override
    public byte[] publicKey() {
        return publicKey == null ? null : publicKey.clone();
    }

    /** Bytes of this body: {@link #SIZE}, plus the public key when there is one. */
    public int size() {
        return publicKey == null ? SIZE : SIZE + publicKey.length;
    }

    public void write(ByteBuf out) {
        out.writeIntLE(MAGIC);
        out.writeByte(version);
        out.writeByte(0);
        out.writeShortLE(capabilities);
        out.writeIntLE((int) maxFrameLength);
        out.writeIntLE((int) maxMessageLength);
        if (publicKey != null) {
            out.writeBytes(publicKey);
        }
    }

    /**
     * The body exactly as {@link #write} puts it on the wire. {@link #read} accepts only this canonical form,
     * so a body read from the wire and made again from the record are the same bytes: the key schedule binds
     * them as the handshake transcript.
     */
    public byte[] body() {
        ByteBuf out = Unpooled.buffer(size());
        write(out);
        return out.array();
    }

    /** This HELLO as a whole frame: HELLO from a client, HELLO_ACK from a server. */
    public ByteBuf frame(ByteBufAllocator alloc, HbtpOpcode opcode, int sequence) {
        ByteBuf out = alloc.ioBuffer(HbtpHeader.SIZE + size());
        HbtpHeader.write(out, opcode.code(), HbtpFlags.FINAL, sequence, size());
        write(out);
        return out;
    }

    /**
     * Reads and checks a HELLO body.
     *
     * @throws HbtpProtocolException 1002 for a bad magic, reserved byte, size or limit; 1003 for another
     *                               version
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
        int expectedSize = (capabilities & HbtpCapabilities.ENCRYPTION) != 0
                ? SIZE + HbtpKeyExchange.PUBLIC_KEY_SIZE : SIZE;
        if (body.readableBytes() != expectedSize) {
            throw protocol("HELLO is " + body.readableBytes() + " bytes, " + expectedSize + " expected");
        }
        if (maxFrame < MIN_FRAME_LENGTH || maxMessage < maxFrame) {
            throw protocol("HELLO limits are unusable: maxFrameLength " + maxFrame + ", maxMessageLength "
                    + maxMessage);
        }
        byte[] publicKey = null;
        if (expectedSize > SIZE) {
            publicKey = new byte[HbtpKeyExchange.PUBLIC_KEY_SIZE];
            body.getBytes(at + SIZE, publicKey);
        }
        body.skipBytes(expectedSize);
        return new HbtpHello(version, capabilities, maxFrame, maxMessage, publicKey);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HbtpHello h && version == h.version && capabilities == h.capabilities
                && maxFrameLength == h.maxFrameLength && maxMessageLength == h.maxMessageLength
                && Arrays.equals(publicKey, h.publicKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, capabilities, maxFrameLength, maxMessageLength,
                Arrays.hashCode(publicKey));
    }

    @Override
    public String toString() {
        return "HbtpHello[version=" + version + ", capabilities=" + HbtpCapabilities.toString(capabilities)
                + ", maxFrameLength=" + maxFrameLength + ", maxMessageLength=" + maxMessageLength
                + (publicKey != null ? ", publicKey=" + ByteBufUtil.hexDump(publicKey) : "") + "]";
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
