package dev.dxreactor.transport.afdpoll;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Settings of an {@link AfdPollIoHandler}, one per event loop. Immutable; made with {@link #builder()}, whose
 * {@link Builder#build()} reports every invalid setting at once.
 *
 * <pre>{@code
 * AfdPollConfig config = AfdPollConfig.builder()
 *         .readMemoryLimit(64 << 20)      // at most 64 MiB in read buffers per loop, then read interest waits
 *         .build();
 * new MultiThreadIoEventLoopGroup(AfdPollIoHandler.newFactory(config));
 * }</pre>
 */
public final class AfdPollConfig {

    static final int MAX_SOCKETS_PER_HELPER = 1024;
    static final int MAX_EVENTS_LIMIT = 65536;
    static final int MIN_CHUNK = 512;
    static final int MAX_CHUNK = 1 << 20;

    private static final AfdPollConfig DEFAULTS = builder().build();

    private final AfdPollCarrier carrier;
    private final int socketsPerHelper;
    private final int maxEventsPerDequeue;
    private final long readMemoryLimit;
    private final int readChunkSize;
    private final int rearmBatch;
    private final int readChunksPerConnection;

    private AfdPollConfig(Builder b) {
        carrier = b.carrier;
        socketsPerHelper = b.socketsPerHelper;
        maxEventsPerDequeue = b.maxEventsPerDequeue;
        readMemoryLimit = b.readMemoryLimit;
        readChunkSize = b.readChunkSize;
        rearmBatch = b.rearmBatch;
        readChunksPerConnection = b.readChunksPerConnection;
    }

    /** Helper-handle carrier, 32 sockets per helper, 256 packets per dequeue, no read memory limit. */
    public static AfdPollConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public AfdPollCarrier carrier() {
        return carrier;
    }

    /** Sockets whose polls share one {@code \Device\Afd} helper handle (default 32). */
    public int socketsPerHelper() {
        return socketsPerHelper;
    }

    /** Completion packets removed by one dequeue (default 256). */
    public int maxEventsPerDequeue() {
        return maxEventsPerDequeue;
    }

    /** Bytes per loop that read buffers may hold before read interest is left unarmed; 0 for no limit. */
    public long readMemoryLimit() {
        return readMemoryLimit;
    }

    /** The size of each read buffer when {@link #readMemoryLimit()} is set (default 16 KiB). */
    public int readChunkSize() {
        return readChunkSize;
    }

    /** How many parked sockets are re-armed per loop iteration when read memory frees (default 64). */
    public int rearmBatch() {
        return rearmBatch;
    }

    /**
     * Read buffers one connection may hold at once when {@link #readMemoryLimit()} is set (default 16): one
     * connection whose application keeps its buffers cannot take the whole pool.
     */
    public int readChunksPerConnection() {
        return readChunksPerConnection;
    }

    @Override
    public String toString() {
        return "AfdPollConfig(carrier=" + carrier + ", socketsPerHelper=" + socketsPerHelper
                + ", maxEventsPerDequeue=" + maxEventsPerDequeue + ", readMemoryLimit=" + readMemoryLimit
                + ", readChunkSize=" + readChunkSize + ", rearmBatch=" + rearmBatch
                + ", readChunksPerConnection=" + readChunksPerConnection + ")";
    }

    /** Collects settings; {@link #build()} checks them all. */
    public static final class Builder {

        private AfdPollCarrier carrier = AfdPollCarrier.HELPER_HANDLES;
        private int socketsPerHelper = 32;
        private int maxEventsPerDequeue = 256;
        private long readMemoryLimit;
        private int readChunkSize = 16 * 1024;
        private int rearmBatch = 64;
        private int readChunksPerConnection = 16;

        private Builder() {
        }

        public Builder carrier(AfdPollCarrier carrier) {
            this.carrier = Objects.requireNonNull(carrier, "carrier");
            return this;
        }

        public Builder socketsPerHelper(int sockets) {
            this.socketsPerHelper = sockets;
            return this;
        }

        public Builder maxEventsPerDequeue(int events) {
            this.maxEventsPerDequeue = events;
            return this;
        }

        /** 0 turns the limit off; otherwise at least {@link #readChunkSize(int)}. */
        public Builder readMemoryLimit(long bytes) {
            this.readMemoryLimit = bytes;
            return this;
        }

        public Builder readChunkSize(int bytes) {
            this.readChunkSize = bytes;
            return this;
        }

        public Builder rearmBatch(int sockets) {
            this.rearmBatch = sockets;
            return this;
        }

        public Builder readChunksPerConnection(int chunks) {
            this.readChunksPerConnection = chunks;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming every invalid setting, its value and what is allowed
         */
        public AfdPollConfig build() {
            List<String> problems = new ArrayList<>();
            check(problems, "socketsPerHelper", socketsPerHelper, 1, MAX_SOCKETS_PER_HELPER);
            check(problems, "maxEventsPerDequeue", maxEventsPerDequeue, 1, MAX_EVENTS_LIMIT);
            check(problems, "readChunkSize", readChunkSize, MIN_CHUNK, MAX_CHUNK);
            check(problems, "rearmBatch", rearmBatch, 1, Integer.MAX_VALUE);
            check(problems, "readChunksPerConnection", readChunksPerConnection, 1, Integer.MAX_VALUE);
            if (readMemoryLimit < 0 || (readMemoryLimit > 0 && readMemoryLimit < readChunkSize)) {
                problems.add("readMemoryLimit = " + readMemoryLimit
                        + " (allowed: 0 for no limit, or at least readChunkSize = " + readChunkSize + ")");
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(problems.size() + " invalid AfdPollConfig setting(s): "
                        + String.join("; ", problems));
            }
            return new AfdPollConfig(this);
        }

        private static void check(List<String> problems, String name, long value, long min, long max) {
            if (value < min || value > max) {
                problems.add(name + " = " + value + " (allowed: " + min + " to " + max + ")");
            }
        }
    }
}
