package dev.dxreactor.hbtp;

import java.security.KeyPair;

/**
 * One side's ephemeral X25519 key agreement for HBTP encryption. {@link HbtpServerInitializer} and
 * {@link HbtpClient} run it for you; it is public for those who put {@link HbtpFrameCodec} under a session
 * handler of their own:
 *
 * <pre>{@code
 * HbtpKeyExchange exchange = HbtpKeyExchange.start();
 * // send exchange.publicKey() in HELLO (or HELLO_ACK), read the peer's from its HELLO
 * HbtpSessionKeys keys = exchange.finish(true, peerPublicKey, preSharedKeyOrNull);
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
     * The keys of this connection.
     *
     * @param client        whether this side is the client (it sends with the client-to-server key)
     * @param peerPublicKey the 32 bytes of the peer's HELLO
     * @param preSharedKey  the key both ends are configured with, or {@code null}
     * @throws HbtpProtocolException 1008 when the peer's key is unusable
     */
    public HbtpSessionKeys finish(boolean client, byte[] peerPublicKey, byte[] preSharedKey) {
        byte[] clientPublic = client ? publicKey : peerPublicKey;
        byte[] serverPublic = client ? peerPublicKey : publicKey;
        HbtpKeySchedule.DirectionalKeys keys = HbtpKeySchedule.derive(keyPair.getPrivate(),
                HbtpKeySchedule.decode(peerPublicKey), clientPublic, serverPublic, preSharedKey);
        return client
                ? new HbtpSessionKeys(keys.clientToServer(), keys.serverToClient())
                : new HbtpSessionKeys(keys.serverToClient(), keys.clientToServer());
    }

    @Override
    public String toString() {
        return "HbtpKeyExchange[private key masked]";
    }
}
