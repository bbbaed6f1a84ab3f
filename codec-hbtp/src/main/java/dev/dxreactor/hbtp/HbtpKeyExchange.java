package dev.dxreactor.hbtp;

import java.security.KeyPair;
import java.util.Arrays;

/**
 * One side's ephemeral X25519 key agreement for HBTP encryption. {@link HbtpServerInitializer} and
 * {@link HbtpClient} run it for you; it is public for those who put {@link HbtpFrameCodec} under a session
 * handler of their own:
 *
 * <pre>{@code
 * HbtpKeyExchange exchange = HbtpKeyExchange.start();
 * // send exchange.publicKey() in HELLO (or HELLO_ACK), read the peer's HELLO_ACK (or HELLO)
 * HbtpSessionKeys keys = exchange.finish(true, hello, helloAck, preSharedKeyOrNull);
 * codec.startEncryption(keys);   // every later frame is sealed and opened
 * }</pre>
 *
 * <p>A key pair is used for one connection only.
 */
public final class HbtpKeyExchange {

    /** Size of an X25519 public key on the wire. */
    public static final int PUBLIC_KEY_SIZE = HbtpKeySchedule.KEY_SIZE;

    private final KeyPair keyPair;
    private final byte[] publicKey;

    private HbtpKeyExchange(KeyPair keyPair) {
        this.keyPair = keyPair;
        this.publicKey = HbtpKeySchedule.encode(keyPair.getPublic());
    }

    /** A fresh key pair. */
    public static HbtpKeyExchange start() {
        return new HbtpKeyExchange(HbtpKeySchedule.newKeyPair());
    }

    /** This side's public key, 32 bytes as HELLO carries it. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /**
     * The keys of this connection, bound to the whole handshake: both HELLO bodies go into the key
     * schedule, so a relay that changes a capability or a limit in either makes the two ends derive
     * different keys.
     *
     * @param client       whether this side is the client (it sends with the client-to-server key)
     * @param hello        the client's HELLO, as sent or read
     * @param helloAck     the server's HELLO_ACK, as sent or read
     * @param preSharedKey the key both ends are configured with, or {@code null}
     * @throws IllegalArgumentException when this side's own HELLO does not carry this exchange's public key
     * @throws HbtpProtocolException    1008 when the peer's HELLO has no key, or an unusable one
     */
    public HbtpSessionKeys finish(boolean client, HbtpHello hello, HbtpHello helloAck, byte[] preSharedKey) {
        HbtpHello own = client ? hello : helloAck;
        HbtpHello peer = client ? helloAck : hello;
        if (!Arrays.equals(own.publicKey(), publicKey)) {
            throw new IllegalArgumentException("this side's HELLO does not carry this exchange's public key");
        }
        byte[] peerPublicKey = peer.publicKey();
        if (peerPublicKey == null) {
            throw new HbtpProtocolException(HbtpCloseCode.POLICY, "the peer's HELLO carries no public key");
        }
        HbtpKeySchedule.DirectionalKeys keys = HbtpKeySchedule.derive(keyPair.getPrivate(),
                HbtpKeySchedule.decode(peerPublicKey), HbtpKeySchedule.transcriptHash(hello, helloAck),
                preSharedKey);
        return client
                ? new HbtpSessionKeys(keys.clientToServer(), keys.serverToClient())
                : new HbtpSessionKeys(keys.serverToClient(), keys.clientToServer());
    }

    @Override
    public String toString() {
        return "HbtpKeyExchange[private key masked]";
    }
}
