package dev.dxreactor.hbtp;

/**
 * The two ChaCha20-Poly1305 keys of one connection, seen from one side: the key it sends with and the key
 * it receives with. Opaque on purpose: the keys never leave this package, and {@link #toString()} shows
 * nothing of them.
 */
public final class HbtpSessionKeys {

    private final byte[] sending;
    private final byte[] receiving;

    HbtpSessionKeys(byte[] sending, byte[] receiving) {
        this.sending = sending;
        this.receiving = receiving;
    }

    HbtpFrameCipher newSealer() {
        return new HbtpFrameCipher(sending);
    }

    HbtpFrameCipher newOpener() {
        return new HbtpFrameCipher(receiving);
    }

    @Override
    public String toString() {
        return "HbtpSessionKeys[masked]";
    }
}
