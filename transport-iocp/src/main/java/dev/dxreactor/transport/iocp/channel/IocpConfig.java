package dev.dxreactor.transport.iocp.channel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** Settings of an {@link IocpIoHandler}. Immutable; {@link #builder()} checks every value at once. */
public final class IocpConfig {

    /** The system property that gives {@link #skipCompletionPortOnSuccess()} its default: auto, on or off. */
    public static final String SKIP_PROPERTY = "dx.iocp.skipCompletionPortOnSuccess";

    private static final IocpConfig DEFAULTS = builder().build();

    private final int maxEventsPerDequeue;
    private final int concurrencyHint;
    private final SkipCompletionPort skipCompletionPortOnSuccess;

    private IocpConfig(Builder b) {
        this.maxEventsPerDequeue = b.maxEventsPerDequeue;
        this.concurrencyHint = b.concurrencyHint;
        this.skipCompletionPortOnSuccess = b.skip;
    }

    /** Whether sockets skip the completion port when an operation succeeds at once. */
    public enum SkipCompletionPort {
        /** On only when {@code WSAEnumProtocols} answers and every Winsock provider it lists is IFS. */
        AUTO,
        /** On whatever providers are installed: only where it is known that no non-IFS provider sees the sockets. */
        ON,
        /** Every operation completes through the port. */
        OFF
    }

    /** 256 packets per dequeue, concurrency 1, skip-completion-port-on-success {@code AUTO}. */
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

    /**
     * {@code FILE_SKIP_COMPLETION_PORT_ON_SUCCESS} on the loop group's sockets (default {@code AUTO}, or the
     * system property {@value #SKIP_PROPERTY}): an operation that succeeds inside its call then queues no packet
     * and the channel completes it at once. Decided once per {@link IocpIoHandler#newFactory(IocpConfig)}.
     */
    public SkipCompletionPort skipCompletionPortOnSuccess() {
        return skipCompletionPortOnSuccess;
    }

    @Override
    public String toString() {
        return "IocpConfig(maxEventsPerDequeue=" + maxEventsPerDequeue + ", concurrencyHint=" + concurrencyHint
                + ", skipCompletionPortOnSuccess=" + skipCompletionPortOnSuccess + ")";
    }

    /** Collects settings; {@link #build()} checks them. */
    public static final class Builder {
        private int maxEventsPerDequeue = 256;
        private int concurrencyHint = 1;
        private SkipCompletionPort skip;
        private final String skipProperty = System.getProperty(SKIP_PROPERTY);

        private Builder() {
            skip = parse(skipProperty);
        }

        private static SkipCompletionPort parse(String value) {
            if (value == null || value.isBlank()) {
                return SkipCompletionPort.AUTO;
            }
            for (SkipCompletionPort mode : SkipCompletionPort.values()) {
                if (mode.name().equals(value.trim().toUpperCase(Locale.ROOT))) {
                    return mode;
                }
            }
            return null;
        }

        /** {@link IocpConfig#skipCompletionPortOnSuccess()}. */
        public Builder skipCompletionPortOnSuccess(SkipCompletionPort mode) {
            this.skip = Objects.requireNonNull(mode, "mode");
            return this;
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
            if (skip == null) {
                problems.add(SKIP_PROPERTY + " must be auto, on or off, not '" + skipProperty + "'");
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", problems));
            }
            return new IocpConfig(this);
        }
    }
}
