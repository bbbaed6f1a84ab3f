package dev.dxreactor.hbtp;

import io.netty.handler.ssl.SslContext;

import java.time.Duration;
import java.util.List;

/**
 * The settings both ends of an HBTP connection have: frame and message limits, calls in flight, keepalive,
 * the time a started frame may take, compression and security. Both config builders fill one of these and
 * both configs read from a copy, so each of these limits has one default and one check.
 */
final class SharedSettings implements Cloneable {

    static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    static final Duration DEFAULT_PONG_TIMEOUT = Duration.ofSeconds(10);
    static final Duration DEFAULT_FRAME_TIMEOUT = Duration.ofSeconds(30);

    int maxFrameLength = HbtpFrameCodec.DEFAULT_MAX_FRAME_LENGTH;
    int maxMessageLength = HbtpFrameCodec.DEFAULT_MAX_MESSAGE_LENGTH;
    int maxFragments = HbtpFrameCodec.DEFAULT_MAX_FRAGMENTS;
    int maxInFlight = HbtpServerConfig.DEFAULT_MAX_IN_FLIGHT;
    Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    Duration pongTimeout = DEFAULT_PONG_TIMEOUT;
    Duration frameTimeout = DEFAULT_FRAME_TIMEOUT;
    int compressionThreshold = HbtpCompression.DEFAULT_THRESHOLD;
    byte[] zstdDictionary;
    HbtpEncryptionMode encryption;
    byte[] preSharedKey;
    SslContext sslContext;

    /** A copy for a built config: later changes to the builder do not reach it. */
    SharedSettings copy() {
        try {
            SharedSettings copy = (SharedSettings) clone();
            copy.zstdDictionary = zstdDictionary != null ? zstdDictionary.clone() : null;
            copy.preSharedKey = preSharedKey != null ? preSharedKey.clone() : null;
            return copy;
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The largest message this end can take in: {@code maxMessageLength}, or less when {@code maxFragments}
     * frames of {@code maxFrameLength} cannot carry that much. It is what HELLO advertises, so that a peer
     * that keeps to it is never refused for too many fragments.
     */
    int messageLimit() {
        return (int) Math.min(maxMessageLength, (long) maxFragments * maxFrameLength);
    }

    /** The mode set, else {@code REQUIRED} with a pre-shared key, else {@code otherwise}. */
    HbtpEncryptionMode encryption(HbtpEncryptionMode otherwise) {
        return ConfigChecks.encryption(encryption, preSharedKey, otherwise);
    }

    /**
     * Adds a message for every invalid setting.
     *
     * @param server            whether these are a server's settings (the TLS context must be a server's)
     * @param defaultEncryption the side's encryption mode when none is set
     */
    void check(List<String> errors, boolean server, HbtpEncryptionMode defaultEncryption) {
        ConfigChecks.limits(errors, maxFrameLength, maxMessageLength, maxFragments, maxInFlight);
        if (compressionThreshold < 0) {
            errors.add("compressionThreshold = " + compressionThreshold + " (allowed: 0 (off) or more)");
        }
        ConfigChecks.zeroOrPositive(errors, "idleTimeout", idleTimeout);
        ConfigChecks.positive(errors, "pongTimeout", pongTimeout);
        ConfigChecks.zeroOrPositive(errors, "frameTimeout", frameTimeout);
        ConfigChecks.security(errors, zstdDictionary, encryption(defaultEncryption), preSharedKey);
        if (sslContext != null && sslContext.isServer() != server) {
            errors.add(server ? "sslContext is a client context (use SslContextBuilder.forServer)"
                    : "sslContext is a server context (use SslContextBuilder.forClient)");
        }
    }

    /** The shared part of a config's {@code toString}, with the pre-shared key masked. */
    String describe(HbtpEncryptionMode resolvedEncryption, HbtpZstdDictionary dictionary) {
        return "encryption=" + resolvedEncryption + ", preSharedKey=" + (preSharedKey != null ? "[masked]" : "none")
                + ", tls=" + (sslContext != null) + ", compressionThreshold=" + compressionThreshold
                + ", zstdDictionary=" + dictionary
                + ", maxFrameLength=" + maxFrameLength + ", maxMessageLength=" + maxMessageLength
                + ", maxFragments=" + maxFragments + ", maxInFlight=" + maxInFlight + ", idleTimeout=" + idleTimeout
                + ", pongTimeout=" + pongTimeout + ", frameTimeout=" + frameTimeout;
    }
}
