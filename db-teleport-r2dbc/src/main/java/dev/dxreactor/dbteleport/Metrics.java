package dev.dxreactor.dbteleport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The cache's meters, all tagged {@code cache=<name>}. Incrementing a Micrometer counter allocates nothing,
 * so counting stays on the hit path.
 */
final class Metrics {

    static final String PREFIX = "dx.dbteleport.";

    final Counter hits;
    final Counter misses;
    final Counter bypassed;
    final Counter sizeEvictions;
    final Counter invalidatedEvictions;
    final Counter invalidations;
    final Counter reconnects;
    final Timer invalidationLatency;

    Metrics(MeterRegistry registry, String name, LongSupplier entries, LongSupplier bytes, BooleanSupplier listening) {
        Tags tags = Tags.of("cache", name);
        hits = Counter.builder(PREFIX + "hits").tags(tags)
                .description("reads answered from the cache").register(registry);
        misses = Counter.builder(PREFIX + "misses").tags(tags)
                .description("reads that found no current entry and queried the database").register(registry);
        bypassed = Counter.builder(PREFIX + "bypassed").tags(tags)
                .description("reads sent to the database because the listener was not listening").register(registry);
        sizeEvictions = Counter.builder(PREFIX + "evictions").tags(tags.and("cause", "size"))
                .description("entries removed to stay within the entry and byte limits").register(registry);
        invalidatedEvictions = Counter.builder(PREFIX + "evictions").tags(tags.and("cause", "invalidated"))
                .description("entries removed because a table they depend on changed").register(registry);
        invalidations = Counter.builder(PREFIX + "invalidations").tags(tags)
                .description("table change notifications applied, plus full invalidations").register(registry);
        reconnects = Counter.builder(PREFIX + "listener.reconnects").tags(tags)
                .description("times the LISTEN connection was lost and opened again").register(registry);
        invalidationLatency = Timer.builder(PREFIX + "invalidation.latency").tags(tags)
                .description("from the start of the transaction that changed a table to its notification here")
                .publishPercentileHistogram().register(registry);
        Gauge.builder(PREFIX + "hit.rate", this, Metrics::hitRate).tags(tags)
                .description("hits / (hits + misses); bypassed reads are not counted").register(registry);
        Gauge.builder(PREFIX + "entries", entries::getAsLong).tags(tags).register(registry);
        Gauge.builder(PREFIX + "bytes", bytes::getAsLong).tags(tags).baseUnit("bytes").register(registry);
        Gauge.builder(PREFIX + "listening", () -> listening.getAsBoolean() ? 1 : 0).tags(tags)
                .description("1 while entries are served from the cache, 0 while reads bypass it").register(registry);
    }

    double hitRate() {
        double h = hits.count();
        double total = h + misses.count();
        return total == 0 ? 0 : h / total;
    }
}
