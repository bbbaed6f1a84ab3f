package dev.dxreactor.hbtp;

import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.SslContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Everything an {@link HbtpServerInitializer} needs: limits, timeouts, the router, topics, event handlers,
 * the offload executor and an optional middleware handler. Built once and shared by all connections.
 *
 * <pre>{@code
 * HbtpServerConfig config = HbtpServerConfig.builder()
 *         .router(new HbtpRouter().route(1, call -> call.payload().retain()))
 *         .topics(topics)
 *         .onClientEvent(7, (session, event, payload) -> log(payload))
 *         .maxInFlight(256)
 *         .build();
 * }</pre>
 */
public final class HbtpServerConfig {

    public static final int DEFAULT_MAX_IN_FLIGHT = 1024;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_PONG_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_HELLO_TIMEOUT = Duration.ofSeconds(10);

    private final HbtpRouter router;
    private final HbtpTopics topics;
    private final HbtpEventHandler[] eventHandlers;
    private final Consumer<HbtpServerSession> onSession;
    private final Supplier<? extends ChannelHandler> middleware;
    private final Executor offloadExecutor;
    private final int maxFrameLength;
    private final int maxMessageLength;
    private final int maxFragments;
    private final int maxMetadataSize;
    private final int maxInFlight;
    private final Duration idleTimeout;
    private final Duration pongTimeout;
    private final Duration helloTimeout;
    private final int compressionThreshold;
    private final HbtpZstdDictionary zstdDictionary;
    private final HbtpEncryptionMode encryption;
    private final byte[] preSharedKey;
    private final SslContext sslContext;
    private final int capabilities;

    private HbtpServerConfig(Builder b) {
        this.router = b.router;
        this.topics = b.topics;
        this.eventHandlers = b.eventHandlers.clone();
        this.onSession = b.onSession;
        this.middleware = b.middleware;
        this.offloadExecutor = b.offloadExecutor != null ? b.offloadExecutor : DefaultOffload.EXECUTOR;
        this.maxFrameLength = b.maxFrameLength;
        this.maxMessageLength = b.maxMessageLength;
        this.maxFragments = b.maxFragments;
        this.maxMetadataSize = b.maxMetadataSize;
        this.maxInFlight = b.maxInFlight;
        this.idleTimeout = b.idleTimeout;
        this.pongTimeout = b.pongTimeout;
        this.helloTimeout = b.helloTimeout;
        this.compressionThreshold = b.compressionThreshold;
        this.zstdDictionary = b.zstdDictionary != null ? HbtpZstdDictionary.of(b.zstdDictionary) : null;
        this.encryption = b.resolvedEncryption();
        this.preSharedKey = b.preSharedKey != null ? b.preSharedKey.clone() : null;
        this.sslContext = b.sslContext;
        int caps = HbtpCapabilities.METADATA;
        if (encryption != HbtpEncryptionMode.OFF) {
            caps |= HbtpCapabilities.ENCRYPTION;
        }
        if (b.compressionThreshold > 0) {
            caps |= HbtpCapabilities.ZSTD;
        }
        if (b.topics != null) {
            caps |= HbtpCapabilities.STATE;
        }
        this.capabilities = caps;
    }

    public static Builder builder() {
        return new Builder();
    }

    public HbtpRouter router() {
        return router;
    }

    /** The topics served, or {@code null} when this server has none (STATE is then not offered). */
    public HbtpTopics topics() {
        return topics;
    }

    HbtpEventHandler eventHandler(int event) {
        return event < eventHandlers.length ? eventHandlers[event] : null;
    }

    Consumer<HbtpServerSession> onSession() {
        return onSession;
    }

    Supplier<? extends ChannelHandler> middleware() {
        return middleware;
    }

    public Executor offloadExecutor() {
        return offloadExecutor;
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

    public int maxMetadataSize() {
        return maxMetadataSize;
    }

    public int maxInFlight() {
        return maxInFlight;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    public Duration pongTimeout() {
        return pongTimeout;
    }

    public Duration helloTimeout() {
        return helloTimeout;
    }

    /** Replies at least this large are sent zstd-compressed when the client agreed to ZSTD; 0 = never. */
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

    /** The capabilities offered in HELLO_ACK before intersecting with the client's. */
    public int capabilities() {
        return capabilities;
    }

    /** Every setting, with the pre-shared key masked. */
    @Override
    public String toString() {
        return "HbtpServerConfig[capabilities=" + HbtpCapabilities.toString(capabilities)
                + ", encryption=" + encryption + ", preSharedKey=" + (preSharedKey != null ? "[masked]" : "none")
                + ", tls=" + (sslContext != null) + ", compressionThreshold=" + compressionThreshold
                + ", zstdDictionary=" + zstdDictionary + ", maxFrameLength=" + maxFrameLength
                + ", maxMessageLength=" + maxMessageLength + ", maxFragments=" + maxFragments
                + ", maxMetadataSize=" + maxMetadataSize + ", maxInFlight=" + maxInFlight
                + ", idleTimeout=" + idleTimeout + ", pongTimeout=" + pongTimeout + ", helloTimeout=" + helloTimeout
                + ", topics=" + (topics != null) + "]";
    }

    /** Virtual threads, created on first use so that a server without blocking routes never starts one. */
    private static final class DefaultOffload {
        static final Executor EXECUTOR =
                Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("hbtp-offload-", 0).factory());
    }

    /** Collects settings; {@link #build()} reports every invalid one at once. */
    public static final class Builder {
        private HbtpRouter router = new HbtpRouter();
        private HbtpTopics topics;
        private HbtpEventHandler[] eventHandlers = new HbtpEventHandler[0];
        private Consumer<HbtpServerSession> onSession;
        private Supplier<? extends ChannelHandler> middleware;
        private Executor offloadExecutor;
        private int maxFrameLength = HbtpFrameCodec.DEFAULT_MAX_FRAME_LENGTH;
        private int maxMessageLength = HbtpFrameCodec.DEFAULT_MAX_MESSAGE_LENGTH;
        private int maxFragments = HbtpFrameCodec.DEFAULT_MAX_FRAGMENTS;
        private int maxMetadataSize = HbtpMetadata.DEFAULT_MAX_SIZE;
        private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private Duration pongTimeout = DEFAULT_PONG_TIMEOUT;
        private Duration helloTimeout = DEFAULT_HELLO_TIMEOUT;
        private int compressionThreshold = HbtpCompression.DEFAULT_THRESHOLD;
        private byte[] zstdDictionary;
        private HbtpEncryptionMode encryption;
        private byte[] preSharedKey;
        private SslContext sslContext;

        private Builder() {
        }

        public Builder router(HbtpRouter router) {
            this.router = router;
            return this;
        }

        /** Serve state topics; without this the server does not offer the STATE capability. */
        public Builder topics(HbtpTopics topics) {
            this.topics = topics;
            return this;
        }

        /** Handler for CLIENT_EVENT {@code event} (0..65535); events without a handler are dropped. */
        public Builder onClientEvent(int event, HbtpEventHandler handler) {
            if (event < 0 || event > 0xFFFF) {
                throw new IllegalArgumentException("event id " + event + " is outside 0..65535");
            }
            if (event >= eventHandlers.length) {
                eventHandlers = Arrays.copyOf(eventHandlers, event + 1);
            }
            eventHandlers[event] = handler;
            return this;
        }

        /** Called on the event loop for each connection once its handshake is done. */
        public Builder onSession(Consumer<HbtpServerSession> listener) {
            this.onSession = listener;
            return this;
        }

        /**
         * A handler placed between the frame codec and the session for every connection; it sees
         * {@link HbtpFrame}s both ways. The supplier is called once per connection.
         */
        public Builder middleware(Supplier<? extends ChannelHandler> middleware) {
            this.middleware = middleware;
            return this;
        }

        /** Where blocking routes run; default: a virtual thread per call. */
        public Builder offloadExecutor(Executor executor) {
            this.offloadExecutor = executor;
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

        public Builder maxMetadataSize(int bytes) {
            this.maxMetadataSize = bytes;
            return this;
        }

        /** Calls in flight per connection before the server stops reading from it; 1..65535. */
        public Builder maxInFlight(int calls) {
            this.maxInFlight = calls;
            return this;
        }

        /** Silence after which the server sends PING; {@link Duration#ZERO} turns keepalive off. */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = timeout;
            return this;
        }

        public Builder pongTimeout(Duration timeout) {
            this.pongTimeout = timeout;
            return this;
        }

        public Builder helloTimeout(Duration timeout) {
            this.helloTimeout = timeout;
            return this;
        }

        /**
         * Messages at least this many bytes are zstd-compressed when the client agreed to ZSTD and the
         * result is smaller (default 512); 0 does not offer ZSTD at all.
         */
        public Builder compressionThreshold(int bytes) {
            this.compressionThreshold = bytes;
            return this;
        }

        /**
         * A zstd dictionary (trained or raw content, at least 8 bytes) for compressing messages; clients
         * must be configured with the same one.
         */
        public Builder zstdDictionary(byte[] dictionary) {
            this.zstdDictionary = dictionary != null ? dictionary.clone() : null;
            return this;
        }

        /**
         * HBTP encryption: {@link HbtpEncryptionMode#OPTIONAL} (the default) agrees when a client offers it,
         * {@link HbtpEncryptionMode#REQUIRED} refuses clients that do not (1008), {@link HbtpEncryptionMode#OFF}
         * never agrees.
         */
        public Builder encryption(HbtpEncryptionMode mode) {
            this.encryption = mode;
            return this;
        }

        /**
         * A secret of at least 16 bytes that clients share with this server; it goes into the key schedule, so
         * only a peer that knows it derives the same keys, and a man in the middle fails the handshake.
         * Implies {@link HbtpEncryptionMode#REQUIRED}.
         */
        public Builder preSharedKey(byte[] key) {
            this.preSharedKey = key != null ? key.clone() : null;
            return this;
        }

        /**
         * Serve HBTP over TLS: an {@link io.netty.handler.ssl.SslHandler} from this server context goes first
         * in every pipeline.
         */
        public Builder sslContext(SslContext context) {
            this.sslContext = context;
            return this;
        }

        private HbtpEncryptionMode resolvedEncryption() {
            return ConfigChecks.encryption(encryption, preSharedKey, HbtpEncryptionMode.OPTIONAL);
        }

        /**
         * @throws IllegalArgumentException listing every invalid setting with its allowed range
         */
        public HbtpServerConfig build() {
            List<String> errors = new ArrayList<>();
            if (router == null) {
                errors.add("router must not be null");
            }
            ConfigChecks.limits(errors, maxFrameLength, maxMessageLength, maxFragments, maxInFlight);
            if (maxMetadataSize < 2 || maxMetadataSize > maxMessageLength) {
                errors.add("maxMetadataSize = " + maxMetadataSize + " (allowed: 2 to maxMessageLength)");
            }
            if (compressionThreshold < 0) {
                errors.add("compressionThreshold = " + compressionThreshold + " (allowed: 0 (off) or more)");
            }
            ConfigChecks.zeroOrPositive(errors, "idleTimeout", idleTimeout);
            ConfigChecks.positive(errors, "pongTimeout", pongTimeout);
            ConfigChecks.positive(errors, "helloTimeout", helloTimeout);
            ConfigChecks.security(errors, zstdDictionary, resolvedEncryption(), preSharedKey);
            if (sslContext != null && !sslContext.isServer()) {
                errors.add("sslContext is a client context (use SslContextBuilder.forServer)");
            }
            if (!errors.isEmpty()) {
                throw new IllegalArgumentException(errors.size() + " invalid HbtpServerConfig setting(s): "
                        + String.join("; ", errors));
            }
            return new HbtpServerConfig(this);
        }
    }
}
