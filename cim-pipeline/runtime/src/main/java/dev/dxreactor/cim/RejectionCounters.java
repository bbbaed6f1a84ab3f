package dev.dxreactor.cim;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The {@code cim.rejections} counters of one {@link CimConfig}: one per middleware class and status, registered
 * on first use and then found without building tags (a {@link ClassValue}, then an array by status). Only a
 * config given a meter registry makes one, so without metrics no Micrometer class is loaded. Thread-safe.
 */
final class RejectionCounters {

    static final String NAME = "cim.rejections";
    private static final CimStatus[] STATUSES = CimStatus.values();

    private final MeterRegistry registry;
    private final Tags tags;
    private final ClassValue<AtomicReferenceArray<Counter>> byMiddleware = new ClassValue<>() {
        @Override
        protected AtomicReferenceArray<Counter> computeValue(Class<?> type) {
            return new AtomicReferenceArray<>(STATUSES.length);
        }
    };

    RejectionCounters(MeterRegistry registry, String[] tagPairs) {
        this.registry = registry;
        this.tags = Tags.of(tagPairs);
    }

    void record(Class<?> middleware, CimStatus status) {
        if (status.isSuccess()) {
            return;
        }
        AtomicReferenceArray<Counter> counters = byMiddleware.get(middleware);
        Counter counter = counters.get(status.ordinal());
        if (counter == null) {
            // Registering is idempotent: two loops racing here end with the same counter.
            counter = Counter.builder(NAME)
                    .description("requests a middleware answered instead of passing them on, by middleware and status")
                    .tags(tags)
                    .tag("middleware", middleware.getSimpleName())
                    .tag("status", status.name())
                    .register(registry);
            counters.set(status.ordinal(), counter);
        }
        counter.increment();
    }
}
