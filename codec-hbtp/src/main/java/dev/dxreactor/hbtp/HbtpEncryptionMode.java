package dev.dxreactor.hbtp;

/**
 * Whether a side uses HBTP's own encryption (the ENCRYPTION capability: X25519, HKDF-SHA256,
 * ChaCha20-Poly1305 on every frame after the handshake).
 */
public enum HbtpEncryptionMode {
    /** Never offered or agreed. */
    OFF,
    /**
     * Offered (client) or agreed when the client offers it (server), plaintext otherwise. An active attacker
     * can strip the offer from HELLO, so a client that needs confidentiality uses {@link #REQUIRED}.
     */
    OPTIONAL,
    /**
     * Offered, and a peer that does not agree is refused: the server closes with 1008, the client's connect
     * fails. The only mode a pre-shared key is accepted with.
     */
    REQUIRED
}
