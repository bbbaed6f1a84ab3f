package dev.dxreactor.hbtp;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of an {@link HbtpClient}. Without an event loop group the client runs its own single NIO loop
 * and stops it on close.
 *
 * <pre>{@code
 * HbtpClientConfig config = HbtpClientConfig.builder()
 *         .eventLoop(reactor.group(), reactor.transport().socketChannelClass())
 *         .callTimeout(Duration.ofSeconds(5))
 *         .build();
 * }</pre>
 */
public final class HbtpClientConfig {

    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final EventLoopGroup group;
    private final Class<? extends Channel> channelClass;
    private final int maxFrameLength;
    private final int maxMessageLength;
    private final int maxFragments;
    private final int maxInFlight;
    private final Duration callTimeout;
    private final Duration connectTimeout;
    private final Duration idleTimeout;
    private final Duration pongTimeout;
    private final int compressionThreshold;
    private final HbtpZstdDictionary zstdDictionary;
    private final HbtpEncryptionMode encryption;
    private final byte[] preSharedKey;
    private final SslContext sslContext;

    private HbtpClientConfig(Builder b) {
        this.group = b.group;
        this.channelClass = b.channelClass;
        this.maxFrameLength = b.maxFrameLength;
        this.maxMessageLength = b.maxMessageLength;
        this.maxFragments = b.maxFragments;
        this.maxInFlight = b.maxInFlight;
        this.callTimeout = b.callTimeout;
        this.connectTimeout = b.connectTimeout;
        this.idleTimeout = b.idleTimeout;
        this.pongTimeout = b.pongTimeout;
        this.compressionThreshold = b.compressionThreshold;
        this.zstdDictionary = b.zstdDictionary != null ? HbtpZstdDictionary.of(b.zstdDictionary) : null;
        this.encryption = b.resolvedEncryption();
        this.preSharedKey = b.preSharedKey != null ? b.preSharedKey.clone() : null;
        this.sslContext = b.sslContext;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The defaults: own NIO loop, spec limits, 30 s call timeout. */
    public static HbtpClientConfig defaults() {
        return builder().build();
    }

    /** The group to run on, or {@code null} for a loop of the client's own. */
    public EventLoopGroup group() {
        return group;
    }

    public Class<? extends Channel> channelClass() {
        return channelClass;
    }

    public int maxFrameLength() {
        return maxFrameLength;
    }

    public int maxMessageLength() {
        return maxMessageLength;
    }

    public int maxFragments() {
        return maxFragments;
    }

    public int maxInFlight() {
        return maxInFlight;
    }

    public Duration callTimeout() {
        return callTimeout;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    public Duration pongTimeout() {
        return pongTimeout;
    }

    /** Calls at least this large are zstd-compressed when the server agreed to ZSTD; 0 = never. */
    public int compressionThreshold() {
        return compressionThreshold;
    }

    /** The dictionary both ends compress with, or {@code null} for none. */
    public HbtpZstdDictionary zstdDictionary() {
        return zstdDictionary;
    }

    public HbtpEncryptionMode encryption() {
        return encryption;
    }

    /** Whether a pre-shared key is configured; the key itself is not handed out. */
    public boolean hasPreSharedKey() {
        return preSharedKey != null;
    }

    byte[] preSharedKey() {
        return preSharedKey;
    }

    /** TLS under HBTP, or {@code null} for none. */
    public SslContext sslContext() {
        return sslContext;
    }

    /** Every setting, with the pre-shared key masked. */
    @Override
    public String toString() {
        return "HbtpClientConfig[encryption=" + encryption + ", preSharedKey="
                + (preSharedKey != null ? "[masked]" : "none") + ", tls=" + (sslContext != null)
                + ", compressionThreshold=" + compressionThreshold + ", zstdDictionary=" + zstdDictionary
                + ", maxFrameLength=" + maxFrameLength + ", maxMessageLength=" + maxMessageLength
                + ", maxFragments=" + maxFragments + ", maxInFlight=" + maxInFlight + ", callTimeout=" + callTimeout
                + ", connectTimeout=" + connectTimeout + ", idleTimeout=" + idleTimeout + ", pongTimeout="
                + pongTimeout + ", ownEventLoop=" + (group == null) + "]";
    }

    /** Collects settings; {@link #build()} reports every invalid one at once. */
    public static final class Builder {
        private EventLoopGroup group;
        private Class<? extends Channel> channelClass;
        private int maxFrameLength = HbtpFrameCodec.DEFAULT_MAX_FRAME_LENGTH;
        private int maxMessageLength = HbtpFrameCodec.DEFAULT_MAX_MESSAGE_LENGTH;
        private int maxFragments = HbtpFrameCodec.DEFAULT_MAX_FRAGMENTS;
        private int maxInFlight = HbtpServerConfig.DEFAULT_MAX_IN_FLIGHT;
        private Duration callTimeout = DEFAULT_CALL_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration idleTimeout = HbtpServerConfig.DEFAULT_IDLE_TIMEOUT;
        private Duration pongTimeout = HbtpServerConfig.DEFAULT_PONG_TIMEOUT;
        private int compressionThreshold = HbtpCompression.DEFAULT_THRESHOLD;
        private byte[] zstdDictionary;
        private HbtpEncryptionMode encryption;
        private byte[] preSharedKey;
        private SslContext sslContext;

        private Builder() {
        }

        /** Run on {@code group} with channels of {@code channelClass} (which must match the group's transport). */
        public Builder eventLoop(EventLoopGroup group, Class<? extends Channel> channelClass) {
            this.group = group;
            this.channelClass = channelClass;
            return this;
        }

        public Builder maxFrameLength(int bytes) {
            this.maxFrameLength = bytes;
            return this;
        }

        public Builder maxMessageLength(int bytes) {
            this.maxMessageLength = bytes;
            return this;
        }

        public Builder maxFragments(int fragments) {
            this.maxFragments = fragments;
            return this;
        }

        /** Calls awaiting an answer at once; one more fails at once with a clear error. 1..65535. */
        public Builder maxInFlight(int calls) {
            this.maxInFlight = calls;
            return this;
        }

        /** How long a call waits for its answer before it fails and is cancelled on the server. */
        public Builder callTimeout(Duration timeout) {
            this.callTimeout = timeout;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /** Silence after which the client sends PING; {@link Duration#ZERO} turns keepalive off. */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = timeout;
            return this;
        }

        public Builder pongTimeout(Duration timeout) {
            this.pongTimeout = timeout;
            return this;
        }

        /**
         * Calls at least this many bytes are zstd-compressed when the server agreed to ZSTD and the result is
         * smaller (default 512); 0 does not offer ZSTD at all.
         */
        public Builder compressionThreshold(int bytes) {
            this.compressionThreshold = bytes;
            return this;
        }

        /** A zstd dictionary (at least 8 bytes); the server must be configured with the same one. */
        public Builder zstdDictionary(byte[] dictionary) {
            this.zstdDictionary = dictionary != null ? dictionary.clone() : null;
            return this;
        }

        /**
         * HBTP encryption: {@link HbtpEncryptionMode#OFF} (the default) does not offer it,
         * {@link HbtpEncryptionMode#OPTIONAL} offers it and goes on in plaintext when the server does not
         * agree, {@link HbtpEncryptionMode#REQUIRED} offers it and fails the connect when the server does not.
         */
        public Builder encryption(HbtpEncryptionMode mode) {
            this.encryption = mode;
            return this;
        }

        /**
         * The secret of at least 16 bytes the server is configured with; a man in the middle then fails the
         * handshake. Implies {@link HbtpEncryptionMode#REQUIRED}.
         */
        public Builder preSharedKey(byte[] key) {
            this.preSharedKey = key != null ? key.clone() : null;
            return this;
        }

        /**
         * Connect over TLS: an {@link io.netty.handler.ssl.SslHandler} from this client context (with the
         * host and port connected to, for SNI and host name verification) goes first in the pipeline.
         */
        public Builder sslContext(SslContext context) {
            this.sslContext = context;
            return this;
        }

        private HbtpEncryptionMode resolvedEncryption() {
            return ConfigChecks.encryption(encryption, preSharedKey, HbtpEncryptionMode.OFF);
        }

        /**
         * @throws IllegalArgumentException listing every invalid setting with its allowed range
         */
        public HbtpClientConfig build() {
            List<String> errors = new ArrayList<>();
            if ((group == null) != (channelClass == null)) {
                errors.add("eventLoop needs both a group and a channel class");
            }
            ConfigChecks.limits(errors, maxFrameLength, maxMessageLength, maxFragments, maxInFlight);
            if (compressionThreshold < 0) {
                errors.add("compressionThreshold = " + compressionThreshold + " (allowed: 0 (off) or more)");
            }
            ConfigChecks.positive(errors, "callTimeout", callTimeout);
            ConfigChecks.positive(errors, "connectTimeout", connectTimeout);
            ConfigChecks.positive(errors, "pongTimeout", pongTimeout);
            ConfigChecks.zeroOrPositive(errors, "idleTimeout", idleTimeout);
            ConfigChecks.security(errors, zstdDictionary, resolvedEncryption(), preSharedKey);
            if (sslContext != null && !sslContext.isClient()) {
                errors.add("sslContext is a server context (use SslContextBuilder.forClient)");
            }
            if (!errors.isEmpty()) {
                throw new IllegalArgumentException(errors.size() + " invalid HbtpClientConfig setting(s): "
                        + String.join("; ", errors));
            }
            return new HbtpClientConfig(this);
        }
    }
}
