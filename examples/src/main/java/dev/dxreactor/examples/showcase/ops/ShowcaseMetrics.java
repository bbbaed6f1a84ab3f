package dev.dxreactor.examples.showcase.ops;

import dev.dxreactor.reactor.DxReactor;
import dev.dxreactor.reactor.DxReactorMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The showcase's meters: one Prometheus registry that the HBTP server, the middleware, the cache and the event loops
 * report into, plus the JVM's own meters. {@link #scrape()} is what {@code /metrics} serves.
 */
public final class ShowcaseMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private DxReactorMetrics loops;

    public ShowcaseMetrics() {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** The registry to hand to the builders ({@code meterRegistry(...)}). */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Adds the event loops' meters (pending tasks, loop lag) of {@code reactor}. */
    public synchronized void bind(DxReactor reactor) {
        loops = new DxReactorMetrics(reactor.group());
        loops.bindTo(registry);
    }

    /** Every meter in the Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    /** Stops the loop probes and the GC listener, and closes the registry. */
    @Override
    public synchronized void close() {
        if (loops != null) {
            loops.close();
        }
        gc.close();
        registry.close();
    }
}
