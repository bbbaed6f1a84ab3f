package dev.dxreactor.hbtp;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;

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
            if (!errors.isEmpty()) {
                throw new IllegalArgumentException(errors.size() + " invalid HbtpClientConfig setting(s): "
                        + String.join("; ", errors));
            }
            return new HbtpClientConfig(this);
        }
    }
}
