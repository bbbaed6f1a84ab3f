package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;

/**
 * ChaCha20-Poly1305 for one direction of one connection, as HBTP/1 specifies: the nonce is 4 zero bytes and
 * the little-endian count of frames sealed so far in this direction; the associated data is the 8-byte frame
 * header as sent, with the final length (ciphertext plus the 16-byte tag). A counter that would wrap ends
 * the connection instead.
 *
 * <p>Not thread-safe: one instance per direction, used on the connection's event loop.
 */
final class HbtpFrameCipher {

    static final int TAG_SIZE = 16;
    private static final int NONCE_SIZE = 12;

    private final SecretKeySpec key;
    private final Cipher cipher;
    private final byte[] nonce = new byte[NONCE_SIZE];
    private final ByteBuffer header = ByteBuffer.allocate(HbtpHeader.SIZE).order(ByteOrder.LITTLE_ENDIAN);
    private long counter;

    HbtpFrameCipher(byte[] key) {
        this(key, 0);
    }

    /** Starts at {@code counter}: tests use it to reach the end of the counter space. */
    HbtpFrameCipher(byte[] key, long counter) {
        if (key.length != HbtpKeySchedule.KEY_SIZE) {
            throw new IllegalArgumentException("ChaCha20-Poly1305 keys are 32 bytes");
        }
        this.key = new SecretKeySpec(key, "ChaCha20");
        this.counter = counter;
        try {
            this.cipher = Cipher.getInstance("ChaCha20-Poly1305");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no ChaCha20-Poly1305", e);
        }
    }

    /**
     * Encrypts {@code plaintext} (not consumed) into a whole frame: header with ENCRYPTED set, ciphertext, tag.
     *
     * @throws HbtpProtocolException 1008 when this direction has used up its nonces
     */
    ByteBuf seal(ByteBufAllocator alloc, HbtpOpcode opcode, int flags, int sequence, ByteBuf plaintext) {
        ByteBuf out = alloc.ioBuffer(HbtpHeader.SIZE + plaintext.readableBytes() + TAG_SIZE);
        try {
            sealInto(out, opcode.code(), flags, sequence, plaintext, plaintext.readerIndex(),
                    plaintext.readableBytes());
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /**
     * Appends the sealed frame (header with ENCRYPTED set, ciphertext, tag) of {@code length} plaintext bytes
     * of {@code source} at {@code index} to {@code out}; {@code source} is not modified.
     *
     * @throws HbtpProtocolException 1008 when this direction has used up its nonces
     */
    void sealInto(ByteBuf out, int opcode, int flags, int sequence, ByteBuf source, int index, int length) {
        int sealedLength = length + TAG_SIZE;
        int sealedFlags = flags | HbtpFlags.ENCRYPTED;
        out.ensureWritable(HbtpHeader.SIZE + sealedLength);
        int start = out.writerIndex();
        try {
            init(Cipher.ENCRYPT_MODE, opcode, sealedFlags, sequence, sealedLength);
            HbtpHeader.write(out, opcode, sealedFlags, sequence, sealedLength);
            cipher.doFinal(source.nioBuffer(index, length), out.nioBuffer(start + HbtpHeader.SIZE, sealedLength));
            out.writerIndex(start + HbtpHeader.SIZE + sealedLength);
        } catch (GeneralSecurityException e) {
            out.writerIndex(start);
            throw new IllegalStateException("ChaCha20-Poly1305 encryption failed", e);
        }
    }

    /**
     * Decrypts the payload of an encrypted frame (not consumed) and returns the plaintext.
     *
     * @throws HbtpProtocolException 1008 when the frame does not authenticate (tampered, replayed, reordered
     *                               or cut short) or this direction has used up its nonces
     */
    ByteBuf open(ByteBufAllocator alloc, HbtpFrame frame) {
        return open(alloc, frame.opcode().code(), frame.flags(), frame.sequence(), frame.payload());
    }

    /** {@link #open(ByteBufAllocator, HbtpFrame)} from the header fields as received and the payload. */
    ByteBuf open(ByteBufAllocator alloc, int opcode, int flags, int sequence, ByteBuf payload) {
        int length = payload.readableBytes();
        if ((flags & HbtpFlags.ENCRYPTED) == 0 || length < TAG_SIZE) {
            throw new HbtpProtocolException(HbtpCloseCode.POLICY, "decryption failed");
        }
        ByteBuf out = alloc.ioBuffer(length - TAG_SIZE);
        try {
            init(Cipher.DECRYPT_MODE, opcode, flags, sequence, length);
            cipher.doFinal(payload.nioBuffer(), out.nioBuffer(0, length - TAG_SIZE));
            out.writerIndex(length - TAG_SIZE);
            return out;
        } catch (AEADBadTagException e) {
            out.release();
            throw new HbtpProtocolException(HbtpCloseCode.POLICY, "decryption failed");
        } catch (GeneralSecurityException e) {
            out.release();
            throw new IllegalStateException("ChaCha20-Poly1305 decryption failed", e);
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /** Frames this direction has sealed or opened. */
    long counter() {
        return counter;
    }

    private void init(int mode, int opcode, int flags, int sequence, int length) throws GeneralSecurityException {
        if (counter == -1L) {
            throw new HbtpProtocolException(HbtpCloseCode.POLICY, "frame counter exhausted; reconnect");
        }
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (counter >>> (8 * i));
        }
        counter++;
        header.clear();
        header.put((byte) opcode).put((byte) flags).putShort((short) sequence).putInt(length).flip();
        cipher.init(mode, key, new IvParameterSpec(nonce));
        cipher.updateAAD(header);
    }
}
