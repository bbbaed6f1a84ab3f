package dev.dxreactor.hbtp;

import javax.crypto.KDF;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.HKDFParameterSpec;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;

/**
 * The HBTP/1 key schedule, with the JDK's X25519 and HKDF-SHA256:
 * {@code shared = X25519(own private, peer public)},
 * {@code th = SHA-256(HELLO body || HELLO_ACK body)},
 * {@code prk = HKDF-Extract(salt = th || psk?, shared)},
 * {@code k_c2s = HKDF-Expand(prk, "hbtp/1 c2s", 32)}, {@code k_s2c = HKDF-Expand(prk, "hbtp/1 s2c", 32)}.
 *
 * <p>Public keys travel as the 32-byte little-endian u-coordinate of RFC 7748.
 */
final class HbtpKeySchedule {

    static final int KEY_SIZE = 32;
    private static final byte[] C2S = "hbtp/1 c2s".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] S2C = "hbtp/1 s2c".getBytes(StandardCharsets.US_ASCII);

    /** The two directional keys of one connection. */
    record DirectionalKeys(byte[] clientToServer, byte[] serverToClient) {
        @Override
        public String toString() {
            return "DirectionalKeys[masked]";
        }
    }

    private HbtpKeySchedule() {
    }

    static KeyPair newKeyPair() {
        try {
            return KeyPairGenerator.getInstance("X25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no X25519", e);
        }
    }

    /** The 32 bytes that go into HELLO for {@code key}. */
    static byte[] encode(PublicKey key) {
        // u < 2^255, so its big-endian form has at most 32 bytes; reversed and zero-padded it is the wire form.
        byte[] bigEndian = ((XECPublicKey) key).getU().toByteArray();
        byte[] out = new byte[KEY_SIZE];
        for (int i = 0; i < KEY_SIZE && i < bigEndian.length; i++) {
            out[i] = bigEndian[bigEndian.length - 1 - i];
        }
        return out;
    }

    /**
     * The peer's public key from its 32 HELLO bytes (the top bit is masked, as RFC 7748 asks).
     *
     * @throws HbtpProtocolException 1008 when the bytes are not a usable key
     */
    static PublicKey decode(byte[] raw) {
        if (raw.length != KEY_SIZE) {
            throw new HbtpProtocolException(HbtpCloseCode.POLICY, "X25519 public key is " + raw.length
                    + " bytes, 32 expected");
        }
        byte[] bigEndian = new byte[KEY_SIZE];
        for (int i = 0; i < KEY_SIZE; i++) {
            bigEndian[i] = raw[KEY_SIZE - 1 - i];
        }
        bigEndian[0] &= 0x7F;
        try {
            return KeyFactory.getInstance("XDH").generatePublic(
                    new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, bigEndian)));
        } catch (GeneralSecurityException e) {
            throw new HbtpProtocolException(HbtpCloseCode.POLICY, "unusable X25519 public key");
        }
    }

    /** {@code SHA-256(HELLO body || HELLO_ACK body)}, the bodies exactly as on the wire. */
    static byte[] transcriptHash(HbtpHello hello, HbtpHello helloAck) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(hello.body());
            return sha256.digest(helloAck.body());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }

    /**
     * Both directional keys, from this side's private key, the peer's public key, the handshake's transcript
     * hash and the optional pre-shared key.
     *
     * @throws HbtpProtocolException 1008 when the peer's key yields an all-zero secret (a low-order point)
     */
    static DirectionalKeys derive(PrivateKey own, PublicKey peer, byte[] transcriptHash, byte[] psk) {
        byte[] shared = null;
        try {
            KeyAgreement agreement = KeyAgreement.getInstance("XDH");
            agreement.init(own);
            agreement.doPhase(peer, true);
            shared = agreement.generateSecret();
            if (MessageDigest.isEqual(shared, new byte[shared.length])) {
                throw new HbtpProtocolException(HbtpCloseCode.POLICY, "X25519 key agreement gave no secret");
            }
            byte[] salt = concat(transcriptHash, psk == null ? new byte[0] : psk);
            KDF hkdf = KDF.getInstance("HKDF-SHA256");
            HKDFParameterSpec.Builder extract = HKDFParameterSpec.ofExtract().addIKM(shared).addSalt(salt);
            byte[] c2s = hkdf.deriveData(extract.thenExpand(C2S, KEY_SIZE));
            byte[] s2c = hkdf.deriveData(HKDFParameterSpec.ofExtract().addIKM(shared).addSalt(salt)
                    .thenExpand(S2C, KEY_SIZE));
            return new DirectionalKeys(c2s, s2c);
        } catch (GeneralSecurityException e) {
            // Only an invalid peer key makes the agreement fail; the algorithms are in every JDK 25.
            throw new HbtpProtocolException(HbtpCloseCode.POLICY, "X25519 key agreement failed");
        } finally {
            if (shared != null) {
                Arrays.fill(shared, (byte) 0);
            }
        }
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
