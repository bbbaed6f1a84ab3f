package dev.dxreactor.hbtp;

import io.micrometer.core.instrument.MeterRegistry;
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
    public static final Duration DEFAULT_IDLE_TIMEOUT = SharedSettings.DEFAULT_IDLE_TIMEOUT;
    public static final Duration DEFAULT_PONG_TIMEOUT = SharedSettings.DEFAULT_PONG_TIMEOUT;
    public static final Duration DEFAULT_HELLO_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_IN_FLIGHT_BYTES = 16 << 20;
    public static final int DEFAULT_MAX_OUTBOUND_BYTES = 32 << 20;
    public static final int DEFAULT_MAX_BLOCKING_CALLS = 256;
    public static final int DEFAULT_MAX_QUEUED_BLOCKING_CALLS = 4096;
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;

    private final HbtpRouter router;
    private final HbtpTopics topics;
    private final HbtpEventHandler[] eventHandlers;
    private final Consumer<HbtpServerSession> onSession;
    private final Supplier<? extends ChannelHandler> middleware;
    private final Executor offloadExecutor;
    private final SharedSettings shared;
    private final int maxMetadataSize;
    private final Duration helloTimeout;
    private final int maxInFlightBytes;
    private final int maxOutboundBytes;
    private final int maxConnections;
    private final HbtpZstdDictionary zstdDictionary;
    private final HbtpEncryptionMode encryption;
    private final int capabilities;
    /** State every connection served with this config shares: the blocking-call and connection bounds. */
    private final ServerLimits limits;
    /** {@code null} without a meter registry: then no Micrometer class is loaded. */
    private final ServerMetrics metrics;
    private final Duration slowCallThreshold;
    /** {@code null} when slow calls are not logged. */
    private final SlowCallLog slowCalls;
    private final boolean mdc;

    private HbtpServerConfig(Builder b) {
        this.router = b.router;
        this.topics = b.topics;
        this.eventHandlers = b.eventHandlers.clone();
        this.onSession = b.onSession;
        this.middleware = b.middleware;
        this.offloadExecutor = b.offloadExecutor != null ? b.offloadExecutor : DefaultOffload.EXECUTOR;
        this.shared = b.shared.copy();
        this.maxMetadataSize = b.maxMetadataSize;
        this.helloTimeout = b.helloTimeout;
        this.maxInFlightBytes = b.maxInFlightBytes;
        this.maxOutboundBytes = b.maxOutboundBytes;
        this.maxConnections = b.maxConnections;
        this.zstdDictionary = shared.zstdDictionary != null ? HbtpZstdDictionary.of(shared.zstdDictionary) : null;
        this.encryption = shared.encryption(HbtpEncryptionMode.OPTIONAL);
        int caps = HbtpCapabilities.METADATA;
        if (encryption != HbtpEncryptionMode.OFF) {
            caps |= HbtpCapabilities.ENCRYPTION;
        }
        if (shared.compressionThreshold > 0) {
            caps |= HbtpCapabilities.ZSTD;
        }
        if (b.topics != null) {
            caps |= HbtpCapabilities.STATE;
        }
        this.capabilities = caps;
        this.limits = new ServerLimits(offloadExecutor, b.maxBlockingCalls, b.maxQueuedBlockingCalls, maxConnections);
        this.metrics = b.meterRegistry != null ? new ServerMetrics(b.meterRegistry, b.meterTags, limits, topics) : null;
        this.slowCallThreshold = b.slowCallThreshold;
        this.slowCalls = b.slowCallThreshold.isZero() ? null : new SlowCallLog(b.slowCallThreshold);
        this.mdc = b.mdc;
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
        return shared.maxFrameLength;
    }

    public int maxMessageLength() {
        return shared.maxMessageLength;
    }

    public int maxFragments() {
        return shared.maxFragments;
    }

    public int maxMetadataSize() {
        return maxMetadataSize;
    }

    public int maxInFlight() {
        return shared.maxInFlight;
    }

    public Duration idleTimeout() {
        return shared.idleTimeout;
    }

    public Duration pongTimeout() {
        return shared.pongTimeout;
    }

    public Duration helloTimeout() {
        return helloTimeout;
    }

    /** How long a frame or fragmented message may take to arrive once started; 0 = no limit. */
    public Duration frameTimeout() {
        return shared.frameTimeout;
    }

    /** Request bytes one connection's calls in flight may hold before the server stops reading from it. */
    public int maxInFlightBytes() {
        return maxInFlightBytes;
    }

    /** Bytes queued for a peer that does not read before its connection is closed with 1009. */
    public int maxOutboundBytes() {
        return maxOutboundBytes;
    }

    /** Blocking handlers running at once on this server, over all connections. */
    public int maxBlockingCalls() {
        return limits.maxBlockingCalls();
    }

    /** Blocking calls waiting for a free handler before more are refused with RESOURCE_EXHAUSTED. */
    public int maxQueuedBlockingCalls() {
        return limits.maxQueuedBlockingCalls();
    }

    /** Connections served at once with this config; one more is refused with CLOSE 1008. */
    public int maxConnections() {
        return maxConnections;
    }

    /**
     * The largest message this server advertises in HELLO_ACK and accepts: {@code maxMessageLength}, or less
     * when {@code maxInFlightBytes} is smaller (a call must fit in what a connection may hold) or
     * {@code maxFragments} frames of {@code maxFrameLength} cannot carry it.
     */
    int advertisedMessageLength() {
        return Math.min(shared.messageLimit(), maxInFlightBytes);
    }

    ServerLimits limits() {
        return limits;
    }

    /** The meters, or {@code null} when no meter registry was given. */
    ServerMetrics metrics() {
        return metrics;
    }

    /** Whether a meter registry was given: see {@link Builder#meterRegistry}. */
    public boolean hasMetrics() {
        return metrics != null;
    }

    /** Calls at least this slow are logged at WARN; {@link Duration#ZERO} when off (the default). */
    public Duration slowCallThreshold() {
        return slowCallThreshold;
    }

    SlowCallLog slowCalls() {
        return slowCalls;
    }

    /** Whether handlers run with the call in the SLF4J MDC ({@link HbtpMdc}). */
    public boolean mdc() {
        return mdc;
    }

    HbtpFrameCodec newCodec() {
        return new HbtpFrameCodec(shared.maxFrameLength, advertisedMessageLength(), shared.maxFragments,
                shared.frameTimeout);
    }

    /** Replies at least this large are sent zstd-compressed when the client agreed to ZSTD; 0 = never. */
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

    /** The capabilities offered in HELLO_ACK before intersecting with the client's. */
    public int capabilities() {
        return capabilities;
    }

    /** Every setting, with the pre-shared key masked. */
    @Override
    public String toString() {
        return "HbtpServerConfig[capabilities=" + HbtpCapabilities.toString(capabilities) + ", "
                + shared.describe(encryption, zstdDictionary) + ", maxMetadataSize=" + maxMetadataSize
                + ", helloTimeout=" + helloTimeout + ", maxInFlightBytes=" + maxInFlightBytes + ", maxOutboundBytes="
                + maxOutboundBytes + ", maxBlockingCalls=" + limits.maxBlockingCalls() + ", maxQueuedBlockingCalls="
                + limits.maxQueuedBlockingCalls() + ", maxConnections=" + maxConnections + ", topics="
                + (topics != null) + ", metrics=" + (metrics != null) + ", slowCallThreshold=" + slowCallThreshold
                + ", mdc=" + mdc + "]";
    }

    /** Virtual threads, created on first use so that a server without blocking routes never starts one. */
    private static final class DefaultOffload {
        static final Executor EXECUTOR =
                Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("hbtp-offload-", 0).factory());
    }

    /**
     * Collects settings; {@link #build()} reports every invalid one at once. A built config keeps its own copy of
     * every setting, so one builder can go on to make variants (say, the same routes with encryption required).
     */
    public static final class Builder {
        private HbtpRouter router = new HbtpRouter();
        private HbtpTopics topics;
        private HbtpEventHandler[] eventHandlers = new HbtpEventHandler[0];
        private Consumer<HbtpServerSession> onSession;
        private Supplier<? extends ChannelHandler> middleware;
        private Executor offloadExecutor;
        private final SharedSettings shared = new SharedSettings();
        private int maxMetadataSize = HbtpMetadata.DEFAULT_MAX_SIZE;
        private Duration helloTimeout = DEFAULT_HELLO_TIMEOUT;
        private int maxInFlightBytes = DEFAULT_MAX_IN_FLIGHT_BYTES;
        private int maxOutboundBytes = DEFAULT_MAX_OUTBOUND_BYTES;
        private int maxBlockingCalls = DEFAULT_MAX_BLOCKING_CALLS;
        private int maxQueuedBlockingCalls = DEFAULT_MAX_QUEUED_BLOCKING_CALLS;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private MeterRegistry meterRegistry;
        private String[] meterTags = new String[0];
        private Duration slowCallThreshold = Duration.ZERO;
        private boolean mdc;

        private Builder() {
        }

        /**
         * Publish the server's meters ({@code hbtp.server.*}, see the README) to {@code registry}, with
         * {@code tags} as key, value pairs on every meter (for example {@code "server", "orders"} when one
         * registry serves several HBTP servers, whose meters would otherwise be one). Without this call no
         * meter is made and Micrometer, an optional dependency, need not be on the class path.
         */
        public Builder meterRegistry(MeterRegistry registry, String... tags) {
            this.meterRegistry = registry;
            this.meterTags = tags == null ? new String[0] : tags.clone();
            return this;
        }

        /**
         * Log a call that takes at least {@code threshold} from receipt until its handler returns: one WARN line
         * with the route, the time and the status answered, at most one per route every 10 s (with the count of
         * those left out), so that a slow dependency does not flood the log. {@link Duration#ZERO} (the
         * default) turns it off.
         */
        public Builder slowCallThreshold(Duration threshold) {
            this.slowCallThreshold = threshold;
            return this;
        }

        /**
         * Run every handler with the connection, route and sequence in the SLF4J MDC ({@link HbtpMdc} keys),
         * on the event loop and on the offload executor alike, removed when the handler returns. Off by
         * default: it costs three MDC puts and removes and two small strings per call, which matter at a
         * million calls a second and are wasted when no log layout prints them.
         */
        public Builder mdc(boolean enabled) {
            this.mdc = enabled;
            return this;
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

        public Builder maxMetadataSize(int bytes) {
            this.maxMetadataSize = bytes;
            return this;
        }

        /** Calls in flight per connection before the server stops reading from it; 1..65535. */
        public Builder maxInFlight(int calls) {
            shared.maxInFlight = calls;
            return this;
        }

        /** Silence after which the server sends PING; {@link Duration#ZERO} turns keepalive off. */
        public Builder idleTimeout(Duration timeout) {
            shared.idleTimeout = timeout;
            return this;
        }

        public Builder pongTimeout(Duration timeout) {
            shared.pongTimeout = timeout;
            return this;
        }

        public Builder helloTimeout(Duration timeout) {
            this.helloTimeout = timeout;
            return this;
        }

        /**
         * How long a frame, or a message in fragments, may take to arrive once its first byte has (default
         * 30 s); a peer that trickles bytes to pin buffers is closed with 1001 then. The clock stops while the
         * server itself has paused reading. {@link Duration#ZERO} turns it off.
         */
        public Builder frameTimeout(Duration timeout) {
            shared.frameTimeout = timeout;
            return this;
        }

        /**
         * Request bytes (after decompression) that one connection's calls in flight may hold (default 16 MiB):
         * beyond it the server stops reading from that connection until calls finish. A single message
         * larger than this is refused with 1009, and HELLO_ACK advertises no larger message.
         */
        public Builder maxInFlightBytes(int bytes) {
            this.maxInFlightBytes = bytes;
            return this;
        }

        /**
         * Bytes queued for one peer that does not read (default 32 MiB). While anything is queued above the
         * channel's write-buffer high-water mark the server reads nothing more from that peer; if answers to
         * calls already taken, events or topic updates still push the queue past this bound, the connection
         * is closed with 1009.
         */
        public Builder maxOutboundBytes(int bytes) {
            this.maxOutboundBytes = bytes;
            return this;
        }

        /**
         * Blocking handlers that run at once over all connections served with this config (default 256);
         * further blocking calls wait in a queue of {@link #maxQueuedBlockingCalls}.
         */
        public Builder maxBlockingCalls(int calls) {
            this.maxBlockingCalls = calls;
            return this;
        }

        /** Blocking calls that may wait for a free handler (default 4096); more are answered RESOURCE_EXHAUSTED. */
        public Builder maxQueuedBlockingCalls(int calls) {
            this.maxQueuedBlockingCalls = calls;
            return this;
        }

        /**
         * Connections served at once with this config (default 10,000); one more gets CLOSE 1008 "too many
         * connections" and is closed. The refusals are logged once per interval, not per connection.
         */
        public Builder maxConnections(int connections) {
            this.maxConnections = connections;
            return this;
        }

        /**
         * Messages at least this many bytes are zstd-compressed when the client agreed to ZSTD and the
         * result is smaller (default 512); 0 does not offer ZSTD at all.
         */
        public Builder compressionThreshold(int bytes) {
            shared.compressionThreshold = bytes;
            return this;
        }

        /**
         * A zstd dictionary (trained or raw content, at least 8 bytes) for compressing messages; clients
         * must be configured with the same one.
         */
        public Builder zstdDictionary(byte[] dictionary) {
            shared.zstdDictionary = dictionary != null ? dictionary.clone() : null;
            return this;
        }

        /**
         * HBTP encryption: {@link HbtpEncryptionMode#OPTIONAL} (the default) agrees when a client offers it,
         * {@link HbtpEncryptionMode#REQUIRED} refuses clients that do not (1008), {@link HbtpEncryptionMode#OFF}
         * never agrees.
         */
        public Builder encryption(HbtpEncryptionMode mode) {
            shared.encryption = mode;
            return this;
        }

        /**
         * A secret of at least 16 bytes that clients share with this server; it goes into the key schedule, so
         * only a peer that knows it derives the same keys, and a man in the middle fails the handshake.
         * Implies {@link HbtpEncryptionMode#REQUIRED}.
         */
        public Builder preSharedKey(byte[] key) {
            shared.preSharedKey = key != null ? key.clone() : null;
            return this;
        }

        /**
         * Serve HBTP over TLS: an {@link io.netty.handler.ssl.SslHandler} from this server context goes first
         * in every pipeline.
         */
        public Builder sslContext(SslContext context) {
            shared.sslContext = context;
            return this;
        }

        /**
         * @throws IllegalArgumentException listing every invalid setting with its allowed range
         */
        public HbtpServerConfig build() {
            List<String> errors = new ArrayList<>();
            if (router == null) {
                errors.add("router must not be null");
            }
            shared.check(errors, true, HbtpEncryptionMode.OPTIONAL);
            if (maxMetadataSize < 2 || maxMetadataSize > shared.maxMessageLength) {
                errors.add("maxMetadataSize = " + maxMetadataSize + " (allowed: 2 to maxMessageLength)");
            }
            ConfigChecks.positive(errors, "helloTimeout", helloTimeout);
            // A frame the server accepts must fit in what a connection may hold.
            ConfigChecks.atLeast(errors, "maxInFlightBytes", maxInFlightBytes, shared.maxFrameLength);
            ConfigChecks.atLeast(errors, "maxOutboundBytes", maxOutboundBytes, 1);
            ConfigChecks.atLeast(errors, "maxBlockingCalls", maxBlockingCalls, 1);
            ConfigChecks.atLeast(errors, "maxQueuedBlockingCalls", maxQueuedBlockingCalls, 0);
            ConfigChecks.atLeast(errors, "maxConnections", maxConnections, 1);
            ConfigChecks.zeroOrPositive(errors, "slowCallThreshold", slowCallThreshold);
            ConfigChecks.tagPairs(errors, meterTags);
            if (!errors.isEmpty()) {
                throw new IllegalArgumentException(errors.size() + " invalid HbtpServerConfig setting(s): "
                        + String.join("; ", errors));
            }
            return new HbtpServerConfig(this);
        }
    }
}
