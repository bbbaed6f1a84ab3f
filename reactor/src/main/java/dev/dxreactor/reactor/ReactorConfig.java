package dev.dxreactor.reactor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Tuning of the I/O backend behind the event loops. Every field is optional: a field left unset keeps the
 * backend's own default, and only fields that were set explicitly are passed on.
 *
 * <p>Each transport honours the fields in its {@code TransportProvider.supportedOptions()}; when a config
 * sets fields the chosen transport ignores, {@link DxReactor} names them in one warning line. Values are
 * checked by {@link Builder#build()}, which reports every invalid field at once.
 *
 * <table>
 *   <caption>Fields, their ranges and the backends that use them</caption>
 *   <tr><th>field</th><th>allowed</th><th>used by</th></tr>
 *   <tr><td>{@code ringEntries}</td><td>power of two, 2..32768</td><td>io_uring submission queue size</td></tr>
 *   <tr><td>{@code sqpoll}</td><td>true/false</td><td>kernel-side submission polling (io_uring, when the
 *       backend offers it)</td></tr>
 *   <tr><td>{@code sqpollIdleMillis}</td><td>1..600000</td><td>idle time before the polling thread sleeps</td></tr>
 *   <tr><td>{@code sqpollCpu}</td><td>0..1023</td><td>CPU of the polling thread</td></tr>
 *   <tr><td>{@code zeroCopySend}</td><td>true/false</td><td>io_uring zero-copy send for large writes</td></tr>
 *   <tr><td>{@code bufferSize}</td><td>64..1048576 bytes</td><td>io_uring provided-buffer ring: size of one buffer</td></tr>
 *   <tr><td>{@code bufferCount}</td><td>power of two, 1..32768</td><td>io_uring provided-buffer ring: buffers per loop</td></tr>
 *   <tr><td>{@code maxEventsPerWake}</td><td>1..65536</td><td>epoll/kqueue events read per wake-up</td></tr>
 *   <tr><td>{@code concurrencyHint}</td><td>0..1024</td><td>Windows completion port concurrency (0 = processors)</td></tr>
 * </table>
 */
public final class ReactorConfig {

    public static final String RING_ENTRIES = "ringEntries";
    public static final String SQPOLL = "sqpoll";
    public static final String SQPOLL_IDLE_MILLIS = "sqpollIdleMillis";
    public static final String SQPOLL_CPU = "sqpollCpu";
    public static final String ZERO_COPY_SEND = "zeroCopySend";
    public static final String BUFFER_SIZE = "bufferSize";
    public static final String BUFFER_COUNT = "bufferCount";
    public static final String MAX_EVENTS_PER_WAKE = "maxEventsPerWake";
    public static final String CONCURRENCY_HINT = "concurrencyHint";

    /** Ranges of the numeric fields; the builder validates against these. */
    static final int MAX_RING_ENTRIES = 32768;
    static final int MAX_SQPOLL_IDLE_MILLIS = 600_000;
    static final int MAX_CPU = 1023;
    static final int MIN_BUFFER_SIZE = 64;
    static final int MAX_BUFFER_SIZE = 1 << 20;
    static final int MAX_BUFFER_COUNT = 32768;
    static final int MAX_EVENTS_PER_WAKE_LIMIT = 65536;
    static final int MAX_CONCURRENCY_HINT = 1024;

    private static final ReactorConfig DEFAULTS = builder().build();

    private final Integer ringEntries;
    private final Boolean sqpoll;
    private final Integer sqpollIdleMillis;
    private final Integer sqpollCpu;
    private final Boolean zeroCopySend;
    private final Integer bufferSize;
    private final Integer bufferCount;
    private final Integer maxEventsPerWake;
    private final Integer concurrencyHint;

    private ReactorConfig(Builder b) {
        this.ringEntries = b.ringEntries;
        this.sqpoll = b.sqpoll;
        this.sqpollIdleMillis = b.sqpollIdleMillis;
        this.sqpollCpu = b.sqpollCpu;
        this.zeroCopySend = b.zeroCopySend;
        this.bufferSize = b.bufferSize;
        this.bufferCount = b.bufferCount;
        this.maxEventsPerWake = b.maxEventsPerWake;
        this.concurrencyHint = b.concurrencyHint;
    }

    /** A config with every field unset: each backend runs with its own defaults. */
    public static ReactorConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public OptionalInt ringEntries() {
        return optional(ringEntries);
    }

    public boolean sqpoll() {
        return Boolean.TRUE.equals(sqpoll);
    }

    public OptionalInt sqpollIdleMillis() {
        return optional(sqpollIdleMillis);
    }

    public OptionalInt sqpollCpu() {
        return optional(sqpollCpu);
    }

    public boolean zeroCopySend() {
        return Boolean.TRUE.equals(zeroCopySend);
    }

    public OptionalInt bufferSize() {
        return optional(bufferSize);
    }

    public OptionalInt bufferCount() {
        return optional(bufferCount);
    }

    public OptionalInt maxEventsPerWake() {
        return optional(maxEventsPerWake);
    }

    public OptionalInt concurrencyHint() {
        return optional(concurrencyHint);
    }

    /** The names of the fields that were set explicitly, in declaration order. */
    public Set<String> explicitOptions() {
        Set<String> set = new LinkedHashSet<>();
        addIfSet(set, RING_ENTRIES, ringEntries);
        addIfSet(set, SQPOLL, sqpoll);
        addIfSet(set, SQPOLL_IDLE_MILLIS, sqpollIdleMillis);
        addIfSet(set, SQPOLL_CPU, sqpollCpu);
        addIfSet(set, ZERO_COPY_SEND, zeroCopySend);
        addIfSet(set, BUFFER_SIZE, bufferSize);
        addIfSet(set, BUFFER_COUNT, bufferCount);
        addIfSet(set, MAX_EVENTS_PER_WAKE, maxEventsPerWake);
        addIfSet(set, CONCURRENCY_HINT, concurrencyHint);
        return Collections.unmodifiableSet(set);
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        for (String option : explicitOptions()) {
            parts.add(option + "=" + valueOf(option));
        }
        return "ReactorConfig" + parts;
    }

    private Object valueOf(String option) {
        return switch (option) {
            case RING_ENTRIES -> ringEntries;
            case SQPOLL -> sqpoll;
            case SQPOLL_IDLE_MILLIS -> sqpollIdleMillis;
            case SQPOLL_CPU -> sqpollCpu;
            case ZERO_COPY_SEND -> zeroCopySend;
            case BUFFER_SIZE -> bufferSize;
            case BUFFER_COUNT -> bufferCount;
            case MAX_EVENTS_PER_WAKE -> maxEventsPerWake;
            case CONCURRENCY_HINT -> concurrencyHint;
            default -> throw new IllegalArgumentException(option);
        };
    }

    private static OptionalInt optional(Integer value) {
        return value == null ? OptionalInt.empty() : OptionalInt.of(value);
    }

    private static void addIfSet(Set<String> set, String name, Object value) {
        if (value != null) {
            set.add(name);
        }
    }

    /** Collects fields; {@link #build()} validates them all and reports every mistake together. */
    public static final class Builder {
        private Integer ringEntries;
        private Boolean sqpoll;
        private Integer sqpollIdleMillis;
        private Integer sqpollCpu;
        private Boolean zeroCopySend;
        private Integer bufferSize;
        private Integer bufferCount;
        private Integer maxEventsPerWake;
        private Integer concurrencyHint;

        private Builder() {
        }

        /** io_uring submission queue entries; a power of two from 2 to 32768. */
        public Builder ringEntries(int entries) {
            this.ringEntries = entries;
            return this;
        }

        /** Kernel-side submission queue polling (a busy kernel thread per ring instead of system calls). */
        public Builder sqpoll(boolean enabled) {
            this.sqpoll = enabled;
            return this;
        }

        /** Milliseconds of idleness before the submission polling thread sleeps; 1 to 600000. */
        public Builder sqpollIdleMillis(int millis) {
            this.sqpollIdleMillis = millis;
            return this;
        }

        /** CPU the submission polling thread is bound to; 0 to 1023. */
        public Builder sqpollCpu(int cpu) {
            this.sqpollCpu = cpu;
            return this;
        }

        /** Zero-copy send for large writes where the backend offers it. */
        public Builder zeroCopySend(boolean enabled) {
            this.zeroCopySend = enabled;
            return this;
        }

        /** Bytes per provided receive buffer; 64 to 1048576. */
        public Builder bufferSize(int bytes) {
            this.bufferSize = bytes;
            return this;
        }

        /** Provided receive buffers per event loop; a power of two from 1 to 32768. */
        public Builder bufferCount(int count) {
            this.bufferCount = count;
            return this;
        }

        /** Readiness events taken per wake-up (epoll, kqueue); 1 to 65536. */
        public Builder maxEventsPerWake(int events) {
            this.maxEventsPerWake = events;
            return this;
        }

        /** Threads a completion port lets run at once (Windows); 0 means one per processor, at most 1024. */
        public Builder concurrencyHint(int threads) {
            this.concurrencyHint = threads;
            return this;
        }

        /**
         * Validates every field and returns the config.
         *
         * @throws ReactorConfigException naming every invalid field with its allowed range
         */
        public ReactorConfig build() {
            List<ReactorConfigException.Violation> violations = new ArrayList<>();
            checkPowerOfTwo(violations, RING_ENTRIES, ringEntries, 2, MAX_RING_ENTRIES);
            checkRange(violations, SQPOLL_IDLE_MILLIS, sqpollIdleMillis, 1, MAX_SQPOLL_IDLE_MILLIS);
            checkRange(violations, SQPOLL_CPU, sqpollCpu, 0, MAX_CPU);
            checkRange(violations, BUFFER_SIZE, bufferSize, MIN_BUFFER_SIZE, MAX_BUFFER_SIZE);
            checkPowerOfTwo(violations, BUFFER_COUNT, bufferCount, 1, MAX_BUFFER_COUNT);
            checkRange(violations, MAX_EVENTS_PER_WAKE, maxEventsPerWake, 1, MAX_EVENTS_PER_WAKE_LIMIT);
            checkRange(violations, CONCURRENCY_HINT, concurrencyHint, 0, MAX_CONCURRENCY_HINT);
            if (!violations.isEmpty()) {
                throw new ReactorConfigException(violations);
            }
            return new ReactorConfig(this);
        }

        private static void checkRange(List<ReactorConfigException.Violation> out, String field, Integer value,
                                       int min, int max) {
            if (value != null && (value < min || value > max)) {
                out.add(new ReactorConfigException.Violation(field, value, min + " to " + max));
            }
        }

        private static void checkPowerOfTwo(List<ReactorConfigException.Violation> out, String field,
                                            Integer value, int min, int max) {
            if (value != null && (value < min || value > max || Integer.bitCount(value) != 1)) {
                out.add(new ReactorConfigException.Violation(field, value,
                        "a power of two from " + min + " to " + max));
            }
        }
    }
}
