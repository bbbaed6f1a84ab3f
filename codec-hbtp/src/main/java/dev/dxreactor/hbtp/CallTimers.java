package dev.dxreactor.hbtp;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The timers of one {@code calls} meter, one per route and status, each registered the first time a call of
 * that route ends with that status and then found with two array reads: recording a call builds no tags and
 * allocates nothing. Thread-safe; shared by every connection of a config.
 *
 * <p>Statuses outside {@link HbtpStatus} (a peer can send any u16) share the tag {@code OTHER}, and calls to
 * routes the server does not serve share {@code route=unknown}, so a peer cannot create meters at will.
 */
final class CallTimers {

    /** Route id of calls to routes that are not served; tagged {@code unknown}. */
    static final int UNKNOWN_ROUTE = -1;
    private static final int OTHER = HbtpStatus.NOT_MODIFIED + 1;
    private static final int SLOTS = OTHER + 1;

    private final MeterRegistry registry;
    private final String name;
    private final String description;
    private final Tags tags;
    private final AtomicReferenceArray<Timer> unknownRoute = new AtomicReferenceArray<>(SLOTS);
    /** By route id; grown (copied) under the lock, read without it. */
    private volatile AtomicReferenceArray<Timer>[] byRoute = newTable(0);

    CallTimers(MeterRegistry registry, String name, String description, Tags tags) {
        this.registry = registry;
        this.name = name;
        this.description = description;
        this.tags = tags;
    }

    void record(int route, int status, long nanos) {
        timer(route, status).record(nanos, TimeUnit.NANOSECONDS);
    }

    Timer timer(int route, int status) {
        int slot = status >= 0 && status < OTHER ? status : OTHER;
        AtomicReferenceArray<Timer> timers = route == UNKNOWN_ROUTE ? unknownRoute : routeTimers(route);
        Timer timer = timers.get(slot);
        if (timer == null) {
            // Registering is idempotent: a race between two loops ends with both holding the same timer.
            timer = Timer.builder(name)
                    .description(description)
                    .tags(tags)
                    .tag("route", route == UNKNOWN_ROUTE ? "unknown" : Integer.toString(route))
                    .tag("status", slot == OTHER ? "OTHER" : HbtpStatus.name(slot))
                    .publishPercentiles(0.5, 0.99)
                    .publishPercentileHistogram()
                    .register(registry);
            timers.set(slot, timer);
        }
        return timer;
    }

    private AtomicReferenceArray<Timer> routeTimers(int route) {
        AtomicReferenceArray<Timer>[] table = byRoute;
        AtomicReferenceArray<Timer> timers = route < table.length ? table[route] : null;
        return timers != null ? timers : addRoute(route);
    }

    private synchronized AtomicReferenceArray<Timer> addRoute(int route) {
        AtomicReferenceArray<Timer>[] table = byRoute;
        if (route < table.length && table[route] != null) {
            return table[route];
        }
        AtomicReferenceArray<Timer>[] larger = Arrays.copyOf(table, Math.max(table.length, route + 1));
        larger[route] = new AtomicReferenceArray<>(SLOTS);
        byRoute = larger;
        return larger[route];
    }

    @SuppressWarnings("unchecked")
    private static AtomicReferenceArray<Timer>[] newTable(int size) {
        return (AtomicReferenceArray<Timer>[]) new AtomicReferenceArray<?>[size];
    }
}
