package dev.dxreactor.hbtp;

import io.micrometer.core.instrument.MeterRegistry;
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
    private final SharedSettings shared;
    private final Duration callTimeout;
    private final Duration connectTimeout;
    private final HbtpZstdDictionary zstdDictionary;
    private final HbtpEncryptionMode encryption;
    /** {@code null} without a meter registry: then no Micrometer class is loaded. */
    private final ClientMetrics metrics;
    private final ReconnectPolicy reconnect;
    private final String webSocketPath;

    private HbtpClientConfig(Builder b) {
        this.group = b.group;
        this.channelClass = b.channelClass;
        this.shared = b.shared.copy();
        this.callTimeout = b.callTimeout;
        this.connectTimeout = b.connectTimeout;
        this.zstdDictionary = shared.zstdDictionary != null ? HbtpZstdDictionary.of(shared.zstdDictionary) : null;
        this.encryption = shared.encryption(HbtpEncryptionMode.OFF);
        this.metrics = b.meterRegistry != null ? new ClientMetrics(b.meterRegistry, b.meterTags) : null;
        this.reconnect = b.reconnect;
        this.webSocketPath = b.webSocketPath;
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
        return shared.maxFrameLength;
    }

    public int maxMessageLength() {
        return shared.maxMessageLength;
    }

    public int maxFragments() {
        return shared.maxFragments;
    }

    public int maxInFlight() {
        return shared.maxInFlight;
    }

    public Duration callTimeout() {
        return callTimeout;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration idleTimeout() {
        return shared.idleTimeout;
    }

    public Duration pongTimeout() {
        return shared.pongTimeout;
    }

    /** How long a frame or fragmented message from the server may take to arrive once started; 0 = no limit. */
    public Duration frameTimeout() {
        return shared.frameTimeout;
    }

    /**
     * The largest message this client advertises in HELLO and accepts: {@code maxMessageLength}, or less
     * when {@code maxFragments} frames of {@code maxFrameLength} cannot carry it.
     */
    int advertisedMessageLength() {
        return shared.messageLimit();
    }

    HbtpFrameCodec newCodec() {
        return new HbtpFrameCodec(shared.maxFrameLength, advertisedMessageLength(),
                shared.maxFragments, shared.frameTimeout);
    }

    /** Calls at least this large are zstd-compressed when the server agreed to ZSTD; 0 = never. */
    public int compressionThreshold() {
        return shared.compressionThreshold;
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
        return shared.preSharedKey != null;
    }

    byte[] preSharedKey() {
        return shared.preSharedKey;
    }

    /** TLS under HBTP, or {@code null} for none. */
    public SslContext sslContext() {
        return shared.sslContext;
    }

    /** When a lost connection is made again; {@link ReconnectPolicy#none()} by default. */
    public ReconnectPolicy reconnect() {
        return reconnect;
    }

    /** The path HBTP over WebSocket is reached on, or {@code null} for HBTP straight over TCP. */
    public String webSocketPath() {
        return webSocketPath;
    }

    /** The meters, or {@code null} when no meter registry was given. */
    ClientMetrics metrics() {
        return metrics;
    }

    /** Whether a meter registry was given: see {@link Builder#meterRegistry}. */
    public boolean hasMetrics() {
        return metrics != null;
    }

    /** Every setting, with the pre-shared key masked. */
    @Override
    public String toString() {
        return "HbtpClientConfig[" + shared.describe(encryption, zstdDictionary) + ", callTimeout=" + callTimeout
                + ", connectTimeout=" + connectTimeout + ", ownEventLoop=" + (group == null) + ", metrics="
                + (metrics != null) + ", reconnect=" + reconnect
                + (webSocketPath != null ? ", webSocketPath=" + webSocketPath : "") + "]";
    }

    /** Collects settings; {@link #build()} reports every invalid one at once. */
    public static final class Builder {
        private EventLoopGroup group;
        private Class<? extends Channel> channelClass;
        private final SharedSettings shared = new SharedSettings();
        private Duration callTimeout = DEFAULT_CALL_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private MeterRegistry meterRegistry;
        private String[] meterTags = new String[0];
        private ReconnectPolicy reconnect = ReconnectPolicy.none();
        private String webSocketPath;

        private Builder() {
        }

        /**
         * Make a lost connection again in the background, waiting as {@code policy} says between attempts
         * (default {@link ReconnectPolicy#none()}: a lost connection stays lost). Meanwhile calls fail at once
         * with an {@link HbtpException} of category {@link HbtpErrorCategory#UNAVAILABLE}; once connected, the
         * client subscribes again to its topics from the versions its listeners hold, and keeps its
         * SERVER_EVENT listeners. Calls in flight when the connection is lost fail with
         * {@link HbtpErrorCategory#NETWORK}: they may have run. The first connect is not retried.
         */
        public Builder reconnect(ReconnectPolicy policy) {
            this.reconnect = policy;
            return this;
        }

        /**
         * Publish the client's meters ({@code hbtp.client.*}, see the README) to {@code registry}, with
         * {@code tags} as key, value pairs on every meter (for example {@code "peer", "orders"}). The meters
         * count every client connected with this config together. Without this call no meter is made and
         * Micrometer, an optional dependency, need not be on the class path.
         */
        public Builder meterRegistry(MeterRegistry registry, String... tags) {
            this.meterRegistry = registry;
            this.meterTags = tags == null ? new String[0] : tags.clone();
            return this;
        }

        /** Run on {@code group} with channels of {@code channelClass} (which must match the group's transport). */
        public Builder eventLoop(EventLoopGroup group, Class<? extends Channel> channelClass) {
            this.group = group;
            this.channelClass = channelClass;
            return this;
        }

        public Builder maxFrameLength(int bytes) {
            shared.maxFrameLength = bytes;
            return this;
        }

        public Builder maxMessageLength(int bytes) {
            shared.maxMessageLength = bytes;
            return this;
        }

        public Builder maxFragments(int fragments) {
            shared.maxFragments = fragments;
            return this;
        }

        /** Calls awaiting an answer at once; one more fails at once with a clear error. 1..65535. */
        public Builder maxInFlight(int calls) {
            shared.maxInFlight = calls;
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
            shared.idleTimeout = timeout;
            return this;
        }

        public Builder pongTimeout(Duration timeout) {
            shared.pongTimeout = timeout;
            return this;
        }

        /**
         * How long a frame, or a message in fragments, may take to arrive once its first byte has (default
         * 30 s); a server that trickles bytes is closed with 1001 then. {@link Duration#ZERO} turns it off.
         */
        public Builder frameTimeout(Duration timeout) {
            shared.frameTimeout = timeout;
            return this;
        }

        /**
         * Calls at least this many bytes are zstd-compressed when the server agreed to ZSTD and the result is
         * smaller (default 512); 0 does not offer ZSTD at all.
         */
        public Builder compressionThreshold(int bytes) {
            shared.compressionThreshold = bytes;
            return this;
        }

        /** A zstd dictionary (at least 8 bytes); the server must be configured with the same one. */
        public Builder zstdDictionary(byte[] dictionary) {
            shared.zstdDictionary = dictionary != null ? dictionary.clone() : null;
            return this;
        }

        /**
         * HBTP encryption: {@link HbtpEncryptionMode#OFF} (the default) does not offer it,
         * {@link HbtpEncryptionMode#OPTIONAL} offers it and goes on in plaintext when the server does not
         * agree, {@link HbtpEncryptionMode#REQUIRED} offers it and fails the connect when the server does not.
         */
        public Builder encryption(HbtpEncryptionMode mode) {
            shared.encryption = mode;
            return this;
        }

        /**
         * The secret of at least 16 bytes the server is configured with; a man in the middle then fails the
         * handshake. Implies {@link HbtpEncryptionMode#REQUIRED}.
         */
        public Builder preSharedKey(byte[] key) {
            shared.preSharedKey = key != null ? key.clone() : null;
            return this;
        }

        /**
         * Connect over TLS: an {@link io.netty.handler.ssl.SslHandler} from this client context (with the
         * host and port connected to, for SNI and host name verification) goes first in the pipeline.
         */
        public Builder sslContext(SslContext context) {
            shared.sslContext = context;
            return this;
        }

        /**
         * Speak HBTP over WebSocket: upgrade {@code GET path} on the address connected to (wss with
         * {@link #sslContext}), then send and receive HBTP frames in binary messages. {@code null} (the default):
         * HBTP straight over TCP.
         */
        public Builder webSocket(String path) {
            this.webSocketPath = path;
            return this;
        }

        /**
         * @throws IllegalArgumentException listing every invalid setting with its allowed range
         */
        public HbtpClientConfig build() {
            List<String> errors = new ArrayList<>();
            if ((group == null) != (channelClass == null)) {
                errors.add("eventLoop needs both a group and a channel class");
            }
            shared.check(errors, false, HbtpEncryptionMode.OFF);
            ConfigChecks.positive(errors, "callTimeout", callTimeout);
            ConfigChecks.positive(errors, "connectTimeout", connectTimeout);
            ConfigChecks.tagPairs(errors, meterTags);
            if (webSocketPath != null && !webSocketPath.startsWith("/")) {
                errors.add("webSocket path = " + webSocketPath + " (must start with /)");
            }
            if (reconnect == null) {
                errors.add("reconnect must not be null (ReconnectPolicy.none() turns it off)");
            }
            if (!errors.isEmpty()) {
                throw new IllegalArgumentException(errors.size() + " invalid HbtpClientConfig setting(s): "
                        + String.join("; ", errors));
            }
            return new HbtpClientConfig(this);
        }
    }
}
