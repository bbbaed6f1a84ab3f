package dev.dxreactor.transport.iocp.channel;

import java.util.ArrayList;
import java.util.List;

/** Settings of an {@link IocpIoHandler}. Immutable; {@link #builder()} checks every value at once. */
public final class IocpConfig {

    private static final IocpConfig DEFAULTS = builder().build();

    private final int maxEventsPerDequeue;
    private final int concurrencyHint;

    private IocpConfig(Builder b) {
        this.maxEventsPerDequeue = b.maxEventsPerDequeue;
        this.concurrencyHint = b.concurrencyHint;
    }

    /** 256 packets per dequeue, concurrency 1. */
    public static IocpConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Packets removed by one {@code GetQueuedCompletionStatusEx} (default 256). */
    public int maxEventsPerDequeue() {
        return maxEventsPerDequeue;
    }

    /**
     * The {@code NumberOfConcurrentThreads} of each loop's port (default 1: one loop thread dequeues from it;
     * 0 lets the kernel use the number of processors).
     */
    public int concurrencyHint() {
        return concurrencyHint;
    }

    @Override
    public String toString() {
        return "IocpConfig(maxEventsPerDequeue=" + maxEventsPerDequeue + ", concurrencyHint=" + concurrencyHint + ")";
    }

    /** Collects settings; {@link #build()} checks them. */
    public static final class Builder {
        private int maxEventsPerDequeue = 256;
        private int concurrencyHint = 1;

        private Builder() {
        }

        /** {@link IocpConfig#maxEventsPerDequeue()}: 1 to 65536. */
        public Builder maxEventsPerDequeue(int packets) {
            this.maxEventsPerDequeue = packets;
            return this;
        }

        /** {@link IocpConfig#concurrencyHint()}: 0 to 1024. */
        public Builder concurrencyHint(int threads) {
            this.concurrencyHint = threads;
            return this;
        }

        /** @throws IllegalArgumentException naming every invalid setting */
        public IocpConfig build() {
            List<String> problems = new ArrayList<>();
            if (maxEventsPerDequeue < 1 || maxEventsPerDequeue > 65_536) {
                problems.add("maxEventsPerDequeue must be 1 to 65536, not " + maxEventsPerDequeue);
            }
            if (concurrencyHint < 0 || concurrencyHint > 1024) {
                problems.add("concurrencyHint must be 0 to 1024, not " + concurrencyHint);
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", problems));
            }
            return new IocpConfig(this);
        }
    }
}
